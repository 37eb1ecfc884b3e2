import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { entities } from '../src/database/entities';
import { migrations } from '../migrations';
import { factsSql, foldSql } from '../migrations/1763760000000-report-rollups';
import { ALL_FAMILIES as FAMILIES, FACT_ATTRIBUTES } from '../migrations/1797300000000-route-rollups';
import { SLOT_GRAINS, slotBackfillSql } from '../migrations/1797400000000-slot-rollups';
import { ALL_CAMPAIGNS, slotValueBackfillSql } from '../migrations/1797500000000-slot-value-rollups';

/**
 * The report benchmark's data set, generated on the server (INSERT ... SELECT generate_series):
 * by default 10 M clicks and 200 k conversions across 50 campaigns over 90 days. Seeded once into
 * its own database and reused while the shape and the migrations it ran stay the same (newer ones
 * run on top).
 *
 * The rows are written with the rollup triggers off (session_replication_role = replica in the
 * seeding sessions), then the rollups are built in bulk with the statements the rollup migration
 * uses for rows that exist before it, and checked against the raw rows. Folding 10 M rows through
 * the statement triggers chunk by chunk took 400-470 s; this takes a fraction of that.
 */
export interface SeedShape {
  clicks: number;
  conversions: number;
  campaigns: number;
  days: number;
}

export const DEFAULT_SHAPE: SeedShape = { clicks: 10_000_000, conversions: 200_000, campaigns: 50, days: 90 };

/** The shape at `clicks` clicks: one conversion per 50 clicks, 50 campaigns, 90 days. */
export function shapeOf(clicks: number): SeedShape {
  return { ...DEFAULT_SHAPE, clicks, conversions: Math.max(1, Math.floor(clicks / 50)) };
}

export interface SeedInfo {
  /** The newest seeded click; the days end here. */
  end: Date;
  seededNow: boolean;
  seconds: number;
  /** What the check of the rollups against the raw rows found (on the run that seeded). */
  check: string | null;
}

/** One statement on one session; answers the rows. */
export type Exec = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const CHUNK = 1_000_000;
/** Rollups are built this many UTC days at a time (whole days, so no bucket of any grain straddles two). */
const ROLLUP_CHUNK_DAYS = 10;
/** Sessions writing and folding at once: the machine this was tuned on has 2 cores. */
const SESSIONS = 2;

/** Each compiled migration file by its hash: a seed is reused while none it ran has been edited since. */
function migrationHashes(): Record<string, string> {
  const dir = join(__dirname, '..', 'migrations');
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => /^\d+-.*\.js$/.test(f))
    .sort())
    out[file] = createHash('sha256')
      .update(readFileSync(join(dir, file)))
      .digest('hex')
      .slice(0, 16);
  return out;
}

/** Every migration the seed ran is still there, unchanged (newer ones are simply run on top). */
function sameSchema(seeded: Record<string, string> | undefined): boolean {
  const now = migrationHashes();
  return !!seeded && Object.entries(seeded).every(([file, hash]) => now[file] === hash);
}

async function migrate(url: string): Promise<void> {
  const ds = new DataSource({ type: 'postgres', url, entities, migrations, migrationsRun: false, logging: false });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

const clientExec =
  (c: Client): Exec =>
  async (sql, params) =>
    (await c.query(sql, params)).rows;

/** Runs the tasks on the sessions, each session taking the next task when it is free. */
async function onSessions<T>(sessions: Exec[], tasks: T[], run: (db: Exec, task: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    sessions.map(async (db) => {
      while (next < tasks.length) await run(db, tasks[next++]);
    }),
  );
}

/** Makes `database` on the server of `serverUrl` hold the data set; reuses it when it already does. */
export async function ensureSeeded(serverUrl: string, database: string, shape: SeedShape, log: (line: string) => void): Promise<SeedInfo> {
  const started = Date.now();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount;
  if (exists) {
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    const marker = await db
      .query(`SELECT value FROM settings WHERE key = 'bench_reports_seed'`)
      .then((r) => r.rows[0]?.value as { migrations?: Record<string, string>; shape: SeedShape; end: string } | undefined)
      .catch(() => undefined);
    await db.end();
    // Compared field by field: jsonb does not keep the order of an object's keys.
    const sameShape = marker && (Object.keys(shape) as (keyof SeedShape)[]).every((k) => marker.shape?.[k] === shape[k]);
    if (marker && sameShape && sameSchema(marker.migrations)) {
      await admin.end();
      await migrate(url.toString());
      return { end: new Date(marker.end), seededNow: false, seconds: 0, check: null };
    }
    log(`database ${database} exists but holds another seed or schema: recreating it`);
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  await migrate(url.toString());

  const clients = Array.from({ length: SESSIONS }, () => new Client({ connectionString: url.toString() }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const sessions = clients.map(clientExec);
    for (const db of sessions) {
      // Triggers (the rollups' and the foreign keys') do not fire in these sessions: the rollups are built after.
      await db(`SET session_replication_role = replica`);
      await db(`SET work_mem = '256MB'`);
      await db(`SET synchronous_commit = off`);
      // Compiling the big generated statements costs more than it saves.
      await db(`SET jit = off`);
    }
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await seedEntities(sessions[0], shape);
    await writeRows(sessions, shape, end, log);
    await sessions[0]('ANALYZE visits, conversions');
    let t = Date.now();
    await buildRollups(sessions, log);
    log(`rollups built (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    t = Date.now();
    const check = await verifyRollups(sessions[0]);
    log(`${check} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    t = Date.now();
    // visits in one session, every other table in the other.
    const others = (await sessions[0](`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'visits' ORDER BY 1`)).map(
      (r) => r.tablename,
    );
    await onSessions(sessions, ['VACUUM ANALYZE visits', `VACUUM ANALYZE ${others.join(', ')}`], (db, sql) => db(sql).then(() => undefined));
    log(`VACUUM ANALYZE (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    await sessions[0](
      `INSERT INTO settings (key, value) VALUES ('bench_reports_seed', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify({ migrations: migrationHashes(), shape, end: end.toISOString() })],
    );
    return { end, seededNow: true, seconds: (Date.now() - started) / 1000, check };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** The networks, sources, offers, landers and campaigns the rows refer to. */
export async function seedEntities(db: Exec, shape: SeedShape): Promise<void> {
  await db(`
    INSERT INTO affiliate_networks (id, name) SELECT 'net' || n, 'Network ' || n FROM generate_series(1, 5) n;
    INSERT INTO traffic_sources (id, name) SELECT 'ts' || n, 'Source ' || n FROM generate_series(1, 8) n;
    INSERT INTO offers (id, name, affiliate_network_id, url) SELECT 'offer' || n, 'Offer ' || n, 'net' || (n % 5 + 1), 'https://offer.example/' || n FROM generate_series(1, 40) n;
    INSERT INTO landing_pages (id, name, url) SELECT 'lp' || n, 'Lander ' || n, 'https://lp.example/' || n FROM generate_series(1, 10) n;`);
  await db(
    `INSERT INTO campaigns (id, key, name, traffic_source_id, cost_model, cost_amount, cost_currency)
     SELECT 'camp' || n, 'camp-' || n, 'Campaign ' || n, 'ts' || (n % 8 + 1), 'cpc', 0.05, CASE WHEN n % 10 = 0 THEN 'EUR' ELSE 'USD' END
     FROM generate_series(1, $1::int) n`,
    [shape.campaigns],
  );
}

/**
 * The visits (in chunks, spread over the sessions) and then the conversions; whatever triggers
 * are on in the sessions fire as they would for any writer.
 */
export async function writeRows(sessions: Exec[], shape: SeedShape, end: Date, log: (line: string) => void): Promise<void> {
  // Every seeded day gets its partition of visits first (the migration makes only the days around now).
  await sessions[0](
    `SELECT visits_partition_create(d::date) FROM generate_series(($1::timestamptz - ($2::int + 1) * interval '1 day') AT TIME ZONE 'UTC',
       $1::timestamptz AT TIME ZONE 'UTC', interval '1 day') d`,
    [end.toISOString(), shape.days],
  );
  const chunks: number[] = [];
  for (let from = 0; from < shape.clicks; from += CHUNK) chunks.push(from);
  let done = 0;
  await onSessions(sessions, chunks, async (db, from) => {
    const t = Date.now();
    const to = Math.min(from + CHUNK, shape.clicks);
    await db(VISITS_SQL, [from + 1, to, shape.clicks, end.toISOString(), shape.days, shape.campaigns]);
    done += to - from;
    log(`visits ${done.toLocaleString('en')} / ${shape.clicks.toLocaleString('en')} (chunk ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  });
  const t = Date.now();
  const every = Math.max(1, Math.floor(shape.clicks / shape.conversions));
  await sessions[0](CONVERSIONS_SQL, [every, end.toISOString(), shape.clicks, end.toISOString(), shape.days]);
  log(`conversions written (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

/**
 * Fills the (empty) rollups and conversion facts from the rows with the rollup migration's own
 * statements (foldSql, factsSql), whole UTC days at a time, the two families in two sessions so
 * both read the same days at once. The visits are first counted per quarter hour and distinct
 * value (the finest grain; sums add up, so the coarser grains come out the same), with the text
 * values in the "C" collation: grouping and ordering ~1 M rows by several text columns in the
 * database's collation was most of the time. The rows written are the same: the bench's test
 * compares them with what the triggers write.
 */
export async function buildRollups(sessions: Exec[], log: (line: string) => void = () => undefined): Promise<void> {
  const types = new Map(
    (await sessions[0](`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'visits'`)).map(
      (r) => [String(r.column_name), String(r.data_type)],
    ),
  );
  const changes = (columns: readonly string[]) => {
    const keep = [...new Set([...columns, 'is_unique', 'bot', 'cost'])];
    // Whether a visit went to a lander and clicked through: all the lander measures need of it.
    const flags = [
      ...(columns.includes('landing_page_id') ? [] : [`CASE WHEN v.landing_page_id IS NULL THEN NULL ELSE '' END AS landing_page_id`]),
      `CASE WHEN v.lp_clicked_at IS NULL THEN NULL ELSE timestamptz 'epoch' END AS lp_clicked_at`,
    ];
    const items = [...keep.map((c) => (types.get(c) === 'text' ? `v.${c} COLLATE "C" AS ${c}` : `v.${c}`)), ...flags];
    return `
      SELECT date_bin('15 minutes', v.created_at, timestamptz '2000-01-01 00:00:00+00') AS created_at,
             ${items.join(', ')}, count(*) AS sign
      FROM visits v
      WHERE v.created_at >= $1::timestamptz AND v.created_at < $2::timestamptz
      GROUP BY ${items.map((_, i) => i + 2).join(', ')}, 1`;
  };
  const [range] = await sessions[0](`SELECT min(created_at) AS lo, max(created_at) AS hi FROM visits`);
  // A task's statements run one after the other in one session.
  const tasks: { label: string; sql: string | string[]; params: unknown[] }[] = [];
  if (range.lo) {
    const day = 86_400_000;
    const lo = Math.floor(new Date(range.lo as string).getTime() / day) * day;
    const hi = new Date(range.hi as string).getTime();
    for (let from = lo; from <= hi; from += ROLLUP_CHUNK_DAYS * day) {
      const params = [new Date(from).toISOString(), new Date(from + ROLLUP_CHUNK_DAYS * day).toISOString()];
      for (const [table, columns] of Object.entries(FAMILIES))
        tasks.push({ label: `${table} from ${params[0].slice(0, 10)}`, sql: foldSql(table, columns, changes(columns), true), params });
      // The slot rollups with the migrations' own backfills: values counted per day, then folded.
      const range = ' WHERE x.created_at >= $1::timestamptz AND x.created_at < $2::timestamptz';
      tasks.push({ label: `rollup_clicks_by_slot from ${params[0].slice(0, 10)}`, sql: slotBackfillSql(range), params });
      tasks.push({ label: `rollup_clicks_by_slot_value from ${params[0].slice(0, 10)}`, sql: slotValueBackfillSql(range), params });
    }
  }
  tasks.push({ label: 'conversion_facts', sql: factsSql('conversions', FACT_ATTRIBUTES), params: [] });
  // Hash the quarter-hour counts rather than sort a million rows (the planner cannot tell how few groups there are).
  for (const db of sessions) await db('SET enable_sort = off');
  try {
    await onSessions(sessions, tasks, async (db, task) => {
      const t = Date.now();
      for (const sql of typeof task.sql === 'string' ? [task.sql] : task.sql) await db(sql, task.params);
      log(`rollup ${task.label} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    });
  } finally {
    for (const db of sessions) await db('RESET enable_sort');
  }
}

/**
 * Compares the rollups with the raw rows: per UTC day, every grain of every family must add up to
 * the day's clicks, unique clicks, bot clicks and cost; the conversion facts to the conversions,
 * one for one, with their visit's country. Answers a line saying what agreed; throws otherwise.
 */
export async function verifyRollups(db: Exec): Promise<string> {
  await db('SELECT report_fold_pending()');
  const key = (r: Record<string, unknown>) => `${r.clicks}/${r.unique_clicks}/${r.bot_clicks}/${Number(r.cost).toFixed(6)}`;
  const raw = new Map<string, string>();
  for (const r of await db(
    `SELECT date_bin('1 day', created_at, timestamptz '2000-01-01 00:00:00+00') AS day, count(*)::bigint AS clicks,
            count(*) FILTER (WHERE is_unique)::bigint AS unique_clicks, count(*) FILTER (WHERE bot)::bigint AS bot_clicks, coalesce(sum(cost), 0) AS cost
     FROM visits GROUP BY 1`,
  ))
    raw.set((r.day as Date).toISOString(), key(r));
  const problems: string[] = [];
  for (const table of Object.keys(FAMILIES)) {
    const folded = await db(
      `SELECT grain, date_bin('1 day', bucket, timestamptz '2000-01-01 00:00:00+00') AS day, sum(clicks) AS clicks,
              sum(unique_clicks) AS unique_clicks, sum(bot_clicks) AS bot_clicks, sum(cost) AS cost
       FROM ${table} GROUP BY 1, 2`,
    );
    for (const grain of [15, 60, 1440]) {
      const got = new Map(folded.filter((r) => Number(r.grain) === grain).map((r) => [(r.day as Date).toISOString(), key(r)]));
      for (const day of new Set([...raw.keys(), ...got.keys()]))
        if (raw.get(day) !== got.get(day))
          problems.push(`${table} grain ${grain} on ${day.slice(0, 10)}: rows ${raw.get(day) ?? '-'}, rollup ${got.get(day) ?? '-'}`);
    }
  }
  // The slot rollups (days alone): per UTC day and slot, the visits having the slot (but on days
  // it overflowed for their campaign, or for all campaigns in the value rollup).
  const slotKey = (r: Record<string, unknown>) => `${r.clicks}/${Number(r.cost).toFixed(6)}`;
  let slotDays = 0;
  for (const [table, overflowedFor] of [
    ['rollup_clicks_by_slot', 'v.campaign_id'],
    ['rollup_clicks_by_slot_value', `'${ALL_CAMPAIGNS}'`],
  ]) {
    const slotRaw = new Map<string, string>();
    for (const r of await db(
      `SELECT date_bin('1 day', v.created_at, timestamptz '2000-01-01 00:00:00+00') AS day, s.slot, count(*)::bigint AS clicks, coalesce(sum(v.cost), 0) AS cost
       FROM visits v CROSS JOIN LATERAL jsonb_object_keys(v.remaped - 'event_id') AS s (slot)
       WHERE NOT EXISTS (SELECT 1 FROM rollup_slot_days d
                         WHERE d.day = date_bin('1 day', v.created_at, timestamptz '2000-01-01 00:00:00+00') AND d.slot = s.slot AND d.campaign_id = ${overflowedFor} AND d.overflowed)
       GROUP BY 1, 2`,
    ))
      slotRaw.set(`${(r.day as Date).toISOString()} ${r.slot}`, slotKey(r));
    slotDays = Math.max(slotDays, slotRaw.size);
    const slotFolded = await db(
      `SELECT grain, date_bin('1 day', bucket, timestamptz '2000-01-01 00:00:00+00') AS day, slot, sum(clicks) AS clicks, sum(cost) AS cost
       FROM ${table} GROUP BY 1, 2, 3`,
    );
    for (const grain of SLOT_GRAINS) {
      const got = new Map(slotFolded.filter((r) => Number(r.grain) === grain).map((r) => [`${(r.day as Date).toISOString()} ${r.slot}`, slotKey(r)]));
      for (const k of new Set([...slotRaw.keys(), ...got.keys()]))
        if (slotRaw.get(k) !== got.get(k)) problems.push(`${table} grain ${grain} on ${k}: rows ${slotRaw.get(k) ?? '-'}, rollup ${got.get(k) ?? '-'}`);
    }
  }
  const [facts] = await db(
    `SELECT (SELECT count(*) FROM conversions)::int AS conversions, (SELECT coalesce(sum(payout), 0) FROM conversions)::text AS payout,
            (SELECT count(*) FROM conversion_facts)::int AS facts, (SELECT coalesce(sum(payout), 0) FROM conversion_facts)::text AS fact_payout,
            (SELECT count(*) FROM conversions c JOIN conversion_facts f ON f.id = c.id)::int AS matched,
            (SELECT count(*) FROM conversion_facts f JOIN visits v ON v.id = f.visit_id WHERE f.country IS DISTINCT FROM v.country)::int AS wrong_country`,
  );
  if (facts.conversions !== facts.facts || facts.matched !== facts.conversions || facts.payout !== facts.fact_payout || facts.wrong_country !== 0)
    problems.push(
      `conversion_facts: ${facts.facts} facts (${facts.matched} matched, payout ${facts.fact_payout}, ${facts.wrong_country} with another country) for ${facts.conversions} conversions (payout ${facts.payout})`,
    );
  if (problems.length) throw new Error(`the rollups disagree with the rows:\n  ${problems.slice(0, 20).join('\n  ')}`);
  return `rollups agree with the rows: ${raw.size} days x 3 grains x ${Object.keys(FAMILIES).length} families and the slots (${slotDays} days and slots, by campaign and over all), ${facts.facts} conversion facts`;
}

/*
 * Click i of n lands at a time spread evenly over the days (ids stay time-ordered), in a campaign
 * chosen with a skew (popular campaigns get more), with geo and device values drawn from small
 * skewed lists. The hash of i stands in for a random source, so a reseed gives the same data.
 * `r` is materialized so each row's campaign and lists are worked out once rather than at every
 * use; what depends only on the operating system and the browser (`client`) once per pair.
 */
const CLICK_AT = `$4::timestamptz - ($5::int * interval '1 day') * (1 - i::float8 / $3::int)`;
const clickId = (at: string) => `lpad(to_hex((extract(epoch FROM ${at}) * 1000)::bigint), 12, '0') || lpad(to_hex(i), 12, '0')`;

const VISITS_SQL = `
  WITH g AS (
    SELECT i,
           ${CLICK_AT} AS at,
           abs(hashint4(i)) AS h1, abs(hashint4(i + 7919)) AS h2, abs(hashint4(i + 104729)) AS h3
    FROM generate_series($1::int, $2::int) i
  ), r AS MATERIALIZED (
    SELECT i, at, h1, h2, h3,
           1 + floor(power((h1 % 10007) / 10007.0, 2) * $6::int)::int AS camp,
           (ARRAY['US','US','US','GB','DE','FR','IN','IN','BR','CA','AU','NP','JP','ES','IT','MX','NL','PL','TR','ID'])[1 + h2 % 20] AS country,
           (ARRAY['Windows','Windows','iOS','iOS','Android','Android','Android','Mac OS','Linux','Chrome OS'])[1 + h3 % 10] AS os,
           h3 % 7 = 0 AS firefox
    FROM g
  ), client AS MATERIALIZED (
    SELECT os, firefox, b.browser, d.device,
           jsonb_build_object('family', b.browser, 'major', '120', 'minor', '0', 'patch', '1') AS agent,
           jsonb_build_object('family', os, 'major', '10', 'minor', null, 'patch', null, 'patchMinor', null) AS os_json,
           jsonb_build_object('family', d.device, 'brand', null, 'model', null) AS device_json
    FROM unnest(ARRAY['Windows','iOS','Android','Mac OS','Linux','Chrome OS']) AS os, (VALUES (true), (false)) AS f (firefox),
         LATERAL (SELECT CASE WHEN firefox THEN 'Firefox' WHEN os = 'iOS' THEN 'Mobile Safari' ELSE 'Chrome' END AS browser) b,
         LATERAL (SELECT CASE WHEN os IN ('iOS', 'Android') THEN 'Smartphone' ELSE 'Other' END AS device) d
  )
  INSERT INTO visits (id, created_at, campaign_id, traffic_source_id, offer_id, offer_link_id, landing_page_id, external_id,
                      query, remaped, cost, cost_currency, ip, ua, agent, os, device, browser, os_family, device_family,
                      mobile, bot, lang, country, region, city, tz, referer, method, url, protocol, host, is_unique,
                      rule_index, rule_name, datacenter)
  SELECT ${clickId('at')},
         at,
         'camp' || camp,
         'ts' || (camp % 8 + 1),
         'offer' || ((camp + h1 % 2) % 40 + 1),
         NULL,
         CASE WHEN camp % 3 = 0 THEN 'lp' || (camp % 10 + 1) END,
         'ext' || i,
         jsonb_build_object('utm_source', 'src' || (h1 % 20), 'clickid', 'ext' || i, 'sub1', 'zone' || (h2 % 500)),
         jsonb_build_object('event_id', lpad(to_hex(i), 24, '0'), 'source', 'src' || (h1 % 20), 'zone', 'zone' || (h2 % 500)),
         CASE WHEN camp % 10 = 0 THEN 0.046 ELSE 0.05 END,
         CASE WHEN camp % 10 = 0 THEN 'EUR' ELSE 'USD' END,
         '203.0.' || (h2 % 256) || '.' || (h3 % 256),
         'Mozilla/5.0 (' || r.os || ') AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.' || (h1 % 5000) || '.0 Safari/537.36',
         c.agent,
         c.os_json,
         c.device_json,
         c.browser,
         r.os,
         c.device,
         r.os IN ('iOS', 'Android'),
         h1 % 50 = 0,
         'en-US,en;q=0.9',
         country,
         country || '-' || (h3 % 5),
         'City ' || (h3 % 40),
         'Etc/UTC',
         'https://publisher' || (h2 % 30) || '.example/',
         'GET',
         '/c/camp-' || camp || '?utm_source=src' || (h1 % 20),
         'https',
         'track.example',
         h2 % 5 <> 0,
         CASE WHEN h3 % 4 <> 0 THEN (h3 % 3)::smallint END,
         CASE WHEN h3 % 4 <> 0 THEN (ARRAY['US desktop', 'Mobile', 'Night'])[1 + h3 % 3] END,
         CASE WHEN h2 % 25 = 0 THEN (ARRAY['AWS', 'Google Cloud', 'Hetzner'])[1 + h1 % 3] END
  FROM r JOIN client c ON c.os = r.os AND c.firefox = r.firefox`;

/**
 * One conversion for every `every`-th click, 0-3 days after it (never after the seed's end), written
 * in time order. The clicks are found by their ids, worked out as VISITS_SQL made them.
 * Parameters: $1 every, $2 end, and $3-$5 as in VISITS_SQL.
 */
const CONVERSIONS_SQL = `
  INSERT INTO conversions (id, created_at, updated_at, dedupe_key, visit_id, visit_created_at, click_id, campaign_id, traffic_source_id,
                           offer_id, affiliate_network_id, conversion_type_id, transaction_id, status, payout, currency, country)
  SELECT lpad(to_hex((extract(epoch FROM at) * 1000)::bigint), 12, '0') || substr(v.id, 13),
         at, at, 'bench:' || v.id, v.id, v.created_at, v.id, v.campaign_id, v.traffic_source_id, v.offer_id, o.affiliate_network_id,
         CASE WHEN h % 10 = 0 THEN '2' ELSE '1' END, 'tx' || v.id,
         CASE WHEN h % 10 < 7 THEN 'approved' WHEN h % 10 < 9 THEN 'pending' ELSE 'declined' END,
         round((1 + h % 4900 / 100.0)::numeric, 2),
         CASE WHEN h % 11 = 0 THEN 'EUR' ELSE 'USD' END,
         v.country
  FROM (SELECT v.*, abs(hashint4(hashtext(v.id))) AS h,
               least(v.created_at + (abs(hashint4(hashtext(v.id))) % 259200) * interval '1 second', $2::timestamptz) AS at
        FROM generate_series($1::int, $3::int, $1::int) i JOIN visits v ON v.id = ${clickId(CLICK_AT)}) v
  JOIN offers o ON o.id = v.offer_id
  ORDER BY at`;
