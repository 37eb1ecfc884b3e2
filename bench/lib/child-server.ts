import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface ChildServer {
  url: string;
  pid: number;
  /** SIGTERM, then waits for the exit (a tracker flushes its buffers; a CPU profile gets written). */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` and waits for a line matching `ready` on its standard output, whose first
 * group is the URL it listens on.
 */
export async function startChildServer(args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 60_000): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (d: Buffer) => {
      log = (log + d.toString()).slice(-8000);
      const m = ready.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${log}`));
    });
  });
  // Keep draining its output so a chatty child never blocks on a full pipe.
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
