import { isIP } from 'node:net';

/** Everything the tracker reads from its environment, validated once at start (SPEC §2). */
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  adminApiKey: string | null;
  baseUrl: string;
  /** `null`: use the socket address; otherwise the hops whose X-Forwarded-* headers we believe. */
  trustProxy: TrustProxy | null;
  ipAnonymize: boolean;
  geoipMmdb: string | null;
  fallbackUrl: string | null;
  outboundAllowPrivate: boolean;
  postbackToken: string | null;
  rateLimitPerMinute: number;
  dbPoolSize: number;
  logLevel: string;
  /** Click group commit: the most visits one INSERT carries. */
  clickBatchMaxRows: number;
  /** Click group commit: the most visits waiting in memory before new clicks get 503. */
  clickQueueMaxRows: number;
  /** How often the outbox dispatcher looks for due messages when nothing woke it. */
  outboxPollMs: number;
  /** Run the outbox dispatcher in this process. */
  outboxEnabled: boolean;
  /** SPEC §9: days the inbound log, delivery attempts and delivered outbox messages are kept; 0 keeps them. */
  retentionLogsDays: number;
  /** Visits older than this many days are dropped by whole daily partitions; 0 keeps them. */
  retentionVisitsDays: number;
  /** When set, `GET /metrics` needs it (`Authorization: Bearer <key>`); unset, /metrics is open. */
  metricsKey: string | null;
  /** SPEC §4: most bytes each spool file (clicks, pixels) may hold while the database is away; beyond, 503. */
  spoolMaxBytes: number;
  /** The most rows one report may answer (REPORT_MAX_ROWS); more is a 400 asking to narrow it. */
  reportMaxRows: number;
}

export type TrustProxy = { all: true } | { all: false; cidrs: string[] };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const v = str(env, name);
  if (v === null) return def;
  if (!/^\d+$/.test(v)) throw new ConfigError(name, `expected a whole number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const v = str(env, name);
  if (v === null) return def;
  const l = v.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(l)) return true;
  if (['false', '0', 'no', 'off'].includes(l)) return false;
  throw new ConfigError(name, `expected true or false, got '${v}'`);
}

function httpUrl(env: Env, name: string): string | null {
  const v = str(env, name);
  if (v === null) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(name, `not a valid URL: '${v}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(name, `expected an http(s) URL, got '${v}'`);
  return v;
}

function postgresUrl(env: Env, name: string): string | null {
  const v = str(env, name);
  if (v === null) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(name, 'not a valid URL (expected postgres://user@host:port/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new ConfigError(name, `expected a postgres:// URL, got the scheme '${u.protocol}'`);
  return v;
}

const CIDR = /^(.+?)(?:\/(\d{1,3}))?$/;

function trustProxy(env: Env, name: string): TrustProxy | null {
  const v = str(env, name);
  if (v === null) return null;
  const l = v.toLowerCase();
  if (l === 'true') return { all: true };
  if (l === 'false') return null;
  const cidrs: string[] = [];
  for (const raw of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (raw === 'loopback') cidrs.push('127.0.0.0/8', '::1/128');
    else if (raw === 'linklocal') cidrs.push('169.254.0.0/16', 'fe80::/10');
    else if (raw === 'uniquelocal') cidrs.push('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7');
    else {
      const m = CIDR.exec(raw);
      const family = m ? isIP(m[1]) : 0;
      const bits = m?.[2] === undefined ? (family === 4 ? 32 : 128) : Number(m[2]);
      if (!family || bits > (family === 4 ? 32 : 128)) throw new ConfigError(name, `expected 'loopback', 'true' or IP/CIDR values, got '${raw}'`);
      cidrs.push(`${m![1]}/${bits}`);
    }
  }
  return { all: false, cidrs };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = str(env, 'HOST') ?? '0.0.0.0';
  if (!isIP(host) && !/^[A-Za-z0-9.-]+$/.test(host)) throw new ConfigError('HOST', `not an address or host name: '${host}'`);
  const baseUrl = (httpUrl(env, 'BASE_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const adminApiKey = str(env, 'ADMIN_API_KEY');
  if (adminApiKey !== null && adminApiKey.length < 16) throw new ConfigError('ADMIN_API_KEY', 'must be at least 16 characters');
  const metricsKey = str(env, 'METRICS_KEY');
  if (metricsKey !== null && metricsKey.length < 16) throw new ConfigError('METRICS_KEY', 'must be at least 16 characters');
  const logLevel = str(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `expected one of fatal, error, warn, info, debug, trace, silent; got '${logLevel}'`);
  return {
    port,
    host,
    databaseUrl: postgresUrl(env, 'DATABASE_URL'),
    dataDir: str(env, 'DATA_DIR') ?? './data',
    adminApiKey,
    baseUrl,
    trustProxy: trustProxy(env, 'TRUST_PROXY'),
    ipAnonymize: bool(env, 'IP_ANONYMIZE', false),
    geoipMmdb: str(env, 'GEOIP_MMDB'),
    fallbackUrl: httpUrl(env, 'FALLBACK_URL'),
    outboundAllowPrivate: bool(env, 'OUTBOUND_ALLOW_PRIVATE', false),
    postbackToken: str(env, 'POSTBACK_TOKEN'),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 6000, 0, 10_000_000),
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10, 1, 200),
    logLevel,
    clickBatchMaxRows: int(env, 'CLICK_BATCH_MAX_ROWS', 1000, 1, 10_000),
    clickQueueMaxRows: int(env, 'CLICK_QUEUE_MAX_ROWS', 20_000, 1, 1_000_000),
    outboxPollMs: int(env, 'OUTBOX_POLL_MS', 1000, 50, 60_000),
    outboxEnabled: bool(env, 'OUTBOX_ENABLED', true),
    retentionLogsDays: int(env, 'RETENTION_LOGS_DAYS', 90, 0, 36_500),
    retentionVisitsDays: int(env, 'RETENTION_VISITS_DAYS', 0, 0, 100_000),
    metricsKey,
    spoolMaxBytes: int(env, 'SPOOL_MAX_MB', 512, 1, 1_000_000) * 1024 * 1024,
    reportMaxRows: int(env, 'REPORT_MAX_ROWS', 200_000, 1, 1_000_000),
  };
}
