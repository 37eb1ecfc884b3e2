import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ChildServer, startChildServer } from './child-server';

export interface TrackerProcess extends ChildServer {
  adminKey: string;
  /** Calls the management API as admin; throws unless the answer is 2xx. */
  api<T = Record<string, any>>(method: string, path: string, body?: unknown): Promise<T>;
}

/** `node dist/src/main.js` on the given database, on a free port, as a separate process. */
export async function startTracker(databaseUrl: string, opts: { env?: Record<string, string>; cpuProfileDir?: string | null } = {}): Promise<TrackerProcess> {
  const adminKey = 'bench-admin-' + randomBytes(12).toString('hex');
  const main = join(__dirname, '..', '..', 'src', 'main.js');
  const args = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`, main] : [main];
  const server = await startChildServer(
    args,
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: adminKey,
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'loopback',
      OUTBOX_ENABLED: 'false',
      ...opts.env,
    },
    /Tracker listening on (http:\/\/[^\s]+) /,
  );
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return { ...server, adminKey, api };
}
