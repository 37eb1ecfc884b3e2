// Micro-benchmark of the click batch in PostgreSQL (not a test: it prints).
//   npm run bench:click-batch            (builds first; DATABASE_URL as for npm run bench)
//   BENCH_VARIANTS=queued-fold,queued-fold-slots BENCH_ROUNDS=9 npm run bench:click-batch  (some variants)
// Writes batches of synthetic visits through click_insert_visits on a fresh database and reads
// the CPU time of the PostgreSQL backend that ran them from /proc (the server must be on this
// machine), so the figure is the database's work per visit, little moved by other load. Variants
// run interleaved, round after round, and each reports its median round:
//   trigger-fold  the rollups folded by a statement trigger inside every batch (before issue 14)
//   no-rollup-slim  no rollup, and each visit without its text and JSON payload (query, slots, user
//                 agent and its parse, url, referer, host): what the row's width costs
//   no-rollup     for reference: no rollup at all (reports would be wrong)
//   no-created-index  no rollup, and no index on created_at alone: what that index costs a visit
//   no-uniques    no rollup, and no uniqueness fingerprint (no lookup or upsert in visit_uniques)
//   queued-fold-2 the batch only queues its ids; report_fold_pending() folds every FOLD_EVERY batches
//                 into the two families of before the geo family (entity, audience)
//   queued-once-2 the same two families, the queued visits read once (migration 1797000000000)
//   queued-any    that, into every family (entity, audience, geo), testing `id = ANY (pending)`
//                 (migration 1797000000000)
//   queued-join   the same, the queued ids joined (migration 1797100000000)
//   queued-fold-3 the same, the queued ids left-joined (migration 1797200000000), three families
//   queued-fold   that, into the four families of migration 1797300000000 (the route family too)
//   queued-fold-slots  that and the slot rollup of migration 1797400000000 (two slots a visit besides
//                 event_id, one of 500 zones and a constant)
//   queued-fold-values  that and the slot value rollup of migration 1797500000000 (the slots over
//                 every campaign)
//   queued-fold-staged  that in slices, each grouped once at the quarter hour and the hour and day
//                 rows made from those groups (migration 1797700000000): what the app does
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrate } from '../migrations/migrate';
import { migrations } from '../migrations';
import { FAMILIES } from '../migrations/1763760000000-report-rollups';
import { foldPendingSql } from '../migrations/1764001000000-rollup-fold-pending';
import { ALL_FAMILIES as GEO_ALL_FAMILIES, foldPendingOnceSql } from '../migrations/1797000000000-geo-rollups';
import { ALL_FAMILIES } from '../migrations/1797300000000-route-rollups';
import { SLOT_FOLD } from '../migrations/1797400000000-slot-rollups';
import { SLOT_VALUE_FOLD } from '../migrations/1797500000000-slot-value-rollups';
import { FOLD_CHUNK } from '../migrations/1797600000000-fold-in-chunks';
import { mintId } from '../src/common/ids';
import type { VisitRecord } from '../src/modules/clicks/visit.record';
import { createBenchDatabase } from './lib/database';

const BATCH = Number(process.env.BENCH_BATCH ?? 25);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FOLD_EVERY = Number(process.env.BENCH_FOLD_EVERY ?? 40);
/** BENCH_VARIANTS=a,b runs only those variants (names below), more rounds in the same time. */
const ONLY = process.env.BENCH_VARIANTS?.split(',') ?? null;

const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'ES', 'IT', 'PL', 'NL', 'SE', 'JP', 'MX', 'CA', 'AU', 'TR', 'ID', 'VN', 'PH', 'TH'];
const OSES = ['Windows', 'Android', 'iOS', 'Mac OS', 'Linux'];
const BROWSERS = ['Chrome', 'Chrome Mobile', 'Safari', 'Mobile Safari', 'Firefox', 'Edge'];
const DEVICES = ['Other', 'iPhone', 'Samsung'];
/** About as many places as a day of real traffic from a few countries shows. */
const PLACES = Array.from({ length: 300 }, (_, i) => ({ region: `R${i % 40}`, city: `City ${i}` }));
const RULES = [
  { rule_index: null, rule_name: null },
  { rule_index: 0, rule_name: 'US desktop' },
  { rule_index: 1, rule_name: 'Mobile' },
  { rule_index: 2, rule_name: 'Night' },
];
const pick = <T>(a: readonly T[]): T => a[Math.floor(Math.random() * a.length)];

export function syntheticVisit(campaigns = 5): VisitRecord {
  const id = mintId();
  const os = pick(OSES);
  const place = pick(PLACES);
  return {
    id,
    created_at: new Date(parseInt(id.slice(0, 12), 16)).toISOString(),
    campaign_id: `c${Math.floor(Math.random() * campaigns)}`,
    traffic_source_id: 'ts1',
    offer_id: 'o1',
    offer_link_id: null,
    landing_page_id: null,
    external_id: String(Math.floor(Math.random() * 1e9)),
    query: { sub1: String(Math.floor(Math.random() * 100)), utm_source: 'bench', zone: String(Math.floor(Math.random() * 1e6)) },
    remaped: { event_id: id, sub1: 'x', zone: `z${Math.floor(Math.random() * 500)}` },
    cost: '0.0125',
    cost_currency: 'USD',
    ip: `203.0.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`,
    forwarded_for: null,
    ua: `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36`,
    agent: { family: pick(BROWSERS), major: '120', minor: '0', patch: '0' },
    os: { family: os, major: '10', minor: null, patch: null, patchMinor: null },
    device: { family: pick(DEVICES), brand: null, model: null },
    mobile: os === 'Android' || os === 'iOS',
    bot: Math.random() < 0.03,
    lang: 'en',
    country: pick(COUNTRIES),
    geoname_id: 5128581,
    region: place.region,
    city: place.city,
    tz: 'America/New_York',
    referer: 'https://news.example.com/article/123',
    method: 'GET',
    url: '/c/abc?sub1=1&utm_source=bench',
    protocol: 'https',
    host: 'track.example.com',
    ...pick(RULES),
    bot_name: null,
    datacenter: Math.random() < 0.04 ? pick(['AWS', 'Google Cloud', 'Hetzner']) : null,
  } as VisitRecord;
}

/** utime + stime of a process, in microseconds. */
function cpuUs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / 100;
}

interface Variant {
  name: string;
  setup(c: Client): Promise<void>;
  write(c: Client, batch: VisitRecord[]): Promise<void>;
  /** After every FOLD_EVERY batches and at the end of a round. */
  fold(c: Client): Promise<void>;
}

/** The index on created_at alone, as the migrations make it: every round starts with it (no-created-index drops it). */
const CREATED_INDEX = 'CREATE INDEX IF NOT EXISTS ix_visits_created ON visits (created_at)';

/** The click batch function as the migrations make it: every round starts with it (no-uniques replaces it). */
const INSERT_FUNCTION = readFileSync(join(__dirname, '..', 'migrations', 'functions', 'click_insert_visits.sql'), 'utf8');

/**
 * The click batch function without the uniqueness fingerprints: no lookup of the visit's
 * fingerprint in visit_uniques and no upsert of it (every first visit of a batch counted unique).
 * What a click's second table row and index entries cost the write.
 */
function withoutUniques(sql: string): string {
  const out = sql
    .replace(/,\n {2}seen AS \([\s\S]*?excluded\.last_seen\)\n {2}\)/, '')
    .replace(/b\.nth = 1 AND NOT EXISTS \([\s\S]*?interval '24 hours'\)/, 'b.nth = 1');
  if (out.includes('visit_uniques')) throw new Error('click_insert_visits.sql changed: no-uniques no longer strips the fingerprints');
  return out;
}

const jsonWrite = async (c: Client, batch: VisitRecord[]) => {
  await c.query(`SELECT t.id FROM click_insert_visits($1::json) AS t(id)`, [JSON.stringify(batch)]);
};

/** The batch only queues its ids; \`foldFunction\` (the SQL making report_fold_pending) folds them. */
function queued(name: string, foldFunction: string): Variant {
  return {
    name,
    setup: async (c) => {
      await c.query(`ALTER TABLE visits DISABLE TRIGGER tr_bench_fold_in_batch; ALTER TABLE visits ENABLE TRIGGER tr_visits_rollup_insert`);
      await c.query(foldFunction);
    },
    write: jsonWrite,
    fold: (c) => c.query(`SELECT report_fold_pending()`).then(() => undefined),
  };
}

/** The same visit with its text and JSON payload left out: what the row's width costs the write. */
function slim(v: VisitRecord): VisitRecord {
  const agent = { family: v.agent.family } as VisitRecord['agent'];
  const os = { family: v.os.family } as VisitRecord['os'];
  const device = { family: v.device.family } as VisitRecord['device'];
  return { ...v, query: {}, remaped: { event_id: v.id }, ua: null, referer: null, url: null, host: null, external_id: null, agent, os, device, tz: null };
}

const noRollup = (c: Client) =>
  c.query(`ALTER TABLE visits DISABLE TRIGGER tr_bench_fold_in_batch; ALTER TABLE visits DISABLE TRIGGER tr_visits_rollup_insert`).then(() => undefined);

const variants: Variant[] = [
  {
    name: 'no-rollup-slim',
    setup: noRollup,
    write: (c, batch) => jsonWrite(c, batch.map(slim)),
    fold: async () => undefined,
  },
  {
    name: 'no-created-index',
    setup: (c) => noRollup(c).then(() => c.query('DROP INDEX ix_visits_created').then(() => undefined)),
    write: jsonWrite,
    fold: async () => undefined,
  },
  {
    name: 'no-uniques',
    setup: (c) => noRollup(c).then(() => c.query(withoutUniques(INSERT_FUNCTION)).then(() => undefined)),
    write: jsonWrite,
    fold: async () => undefined,
  },
  {
    name: 'no-rollup',
    setup: noRollup,
    write: jsonWrite,
    fold: async () => undefined,
  },
  {
    name: 'trigger-fold',
    setup: (c) =>
      c.query(`ALTER TABLE visits DISABLE TRIGGER tr_visits_rollup_insert; ALTER TABLE visits ENABLE TRIGGER tr_bench_fold_in_batch`).then(() => undefined),
    write: jsonWrite,
    fold: async () => undefined,
  },
  queued('queued-fold-2', foldPendingSql(true, FAMILIES)),
  queued('queued-once-2', foldPendingOnceSql(FAMILIES)),
  queued('queued-any', foldPendingOnceSql(GEO_ALL_FAMILIES)),
  queued('queued-join', foldPendingOnceSql(GEO_ALL_FAMILIES, 'join')),
  queued('queued-fold-3', foldPendingOnceSql(GEO_ALL_FAMILIES, 'left')),
  queued('queued-fold', foldPendingOnceSql(ALL_FAMILIES, 'left')),
  queued('queued-fold-slots', foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_FOLD)),
  queued('queued-fold-values', foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_VALUE_FOLD)),
  queued('queued-fold-staged', foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_VALUE_FOLD, FOLD_CHUNK, true)),
];

async function main(): Promise<void> {
  const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await createBenchDatabase(admin);
  const ds = new DataSource({ type: 'postgres', url: db.url, migrations, logging: false } as never);
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    // The trigger the rollups had before: it folds inside the batch's transaction.
    await c.query(
      `CREATE TRIGGER tr_bench_fold_in_batch AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_fold_visits()`,
    );
    const [{ pid }] = (await c.query(`SELECT pg_backend_pid() AS pid`)).rows as { pid: number }[];
    const chosen = variants.filter((v) => !ONLY || ONLY.includes(v.name));
    const perVisit = new Map<string, number[]>(chosen.map((v) => [v.name, []]));
    // One warm-up round, then the counted ones.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const v of chosen) {
        await c.query(CREATED_INDEX);
        await c.query(INSERT_FUNCTION);
        await v.setup(c);
        const before = cpuUs(pid);
        for (let b = 1; b <= BATCHES; b++) {
          await v.write(
            c,
            Array.from({ length: BATCH }, () => syntheticVisit()),
          );
          if (b % FOLD_EVERY === 0) await v.fold(c);
        }
        await v.fold(c);
        if (round > 0) perVisit.get(v.name)!.push((cpuUs(pid) - before) / (BATCHES * BATCH));
      }
    }
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM visits`)).rows as { n: number }[];
    console.log(`batches of ${BATCH}, ${BATCHES} batches a round, ${ROUNDS} rounds, fold every ${FOLD_EVERY} batches; ${n} visits written`);
    console.log(`PostgreSQL backend CPU per visit (median round, min-max):`);
    for (const [name, xs] of perVisit) {
      const s = [...xs].sort((a, b) => a - b);
      console.log(`  ${name.padEnd(14)} ${s[Math.floor(s.length / 2)].toFixed(1)} µs  (${s[0].toFixed(1)}-${s[s.length - 1].toFixed(1)})`);
    }
    await c.query(`SELECT report_fold_pending()`);
    const [check] = (
      await c.query(
        `SELECT (SELECT count(*) FROM visits)::int AS visits, (SELECT sum(clicks) FROM rollup_clicks_by_entity WHERE grain = 15)::int AS entity, (SELECT sum(clicks) FROM rollup_clicks_by_audience WHERE grain = 1440)::int AS audience,
                (SELECT sum(clicks) FROM rollup_clicks_by_geo WHERE grain = 60)::int AS geo`,
      )
    ).rows as { visits: number; entity: number; audience: number; geo: number }[];
    // The no-rollup rounds fold nothing, and the queued-fold-2 rounds nothing into the geo family.
    console.log(`rollups (entity / audience / geo): ${check.entity} / ${check.audience} / ${check.geo} clicks for ${check.visits} visits`);
  } finally {
    await c.end();
    await db.drop();
  }
}

if (require.main === module)
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
