import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { entities } from '../src/database/entities';
import { migrations } from '../src/database/migrations';

/**
 * The report benchmark's data set, generated on the server (INSERT ... SELECT generate_series):
 * 10 M clicks and 200 k conversions across 50 campaigns over 90 days. Seeded once into its own
 * database and reused while the shape and the migrations it ran stay the same (newer ones run on top).
 */
export interface SeedShape {
  clicks: number;
  conversions: number;
  campaigns: number;
  days: number;
}

export const DEFAULT_SHAPE: SeedShape = { clicks: 10_000_000, conversions: 200_000, campaigns: 50, days: 90 };

export interface SeedInfo {
  /** The newest seeded click; the 90 days end here. */
  end: Date;
  seededNow: boolean;
  seconds: number;
}

const CHUNK = 1_000_000;

/** Each compiled migration file by its hash: a seed is reused while none it ran has been edited since. */
function migrationHashes(): Record<string, string> {
  const dir = join(__dirname, '..', 'src', 'database', 'migrations');
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir).filter((f) => /^\d+-.*\.js$/.test(f)).sort())
    out[file] = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex').slice(0, 16);
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

/** Makes `database` on the server of `adminUrl` hold the data set; reuses it when it already does. */
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
      return { end: new Date(marker.end), seededNow: false, seconds: 0 };
    }
    log(`database ${database} exists but holds another seed or schema: recreating it`);
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  await migrate(url.toString());

  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  await seedEntities(db, shape);
  for (let from = 0; from < shape.clicks; from += CHUNK) {
    const t = Date.now();
    await db.query(VISITS_SQL, [from + 1, Math.min(from + CHUNK, shape.clicks), shape.clicks, end.toISOString(), shape.days, shape.campaigns]);
    log(`visits ${Math.min(from + CHUNK, shape.clicks).toLocaleString('en')} / ${shape.clicks.toLocaleString('en')} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
  const every = Math.max(1, Math.floor(shape.clicks / shape.conversions));
  await db.query(CONVERSIONS_SQL, [every, end.toISOString()]);
  log('conversions written; VACUUM ANALYZE');
  await db.query('VACUUM ANALYZE');
  await db.query(
    `INSERT INTO settings (key, value) VALUES ('bench_reports_seed', $1)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [JSON.stringify({ migrations: migrationHashes(), shape, end: end.toISOString() })],
  );
  await db.end();
  return { end, seededNow: true, seconds: (Date.now() - started) / 1000 };
}

async function seedEntities(db: Client, shape: SeedShape): Promise<void> {
  await db.query(`
    INSERT INTO affiliate_networks (id, name) SELECT 'net' || n, 'Network ' || n FROM generate_series(1, 5) n;
    INSERT INTO traffic_sources (id, name) SELECT 'ts' || n, 'Source ' || n FROM generate_series(1, 8) n;
    INSERT INTO offers (id, name, affiliate_network_id, url) SELECT 'offer' || n, 'Offer ' || n, 'net' || (n % 5 + 1), 'https://offer.example/' || n FROM generate_series(1, 40) n;
    INSERT INTO landing_pages (id, name, url) SELECT 'lp' || n, 'Lander ' || n, 'https://lp.example/' || n FROM generate_series(1, 10) n;`);
  await db.query(
    `INSERT INTO campaigns (id, key, name, traffic_source_id, cost_model, cost_amount, cost_currency)
     SELECT 'camp' || n, 'camp-' || n, 'Campaign ' || n, 'ts' || (n % 8 + 1), 'cpc', 0.05, CASE WHEN n % 10 = 0 THEN 'EUR' ELSE 'USD' END
     FROM generate_series(1, $1::int) n`,
    [shape.campaigns],
  );
}

/*
 * Click i of n lands at a time spread evenly over the days (ids stay time-ordered), in a campaign
 * chosen with a skew (popular campaigns get more), with geo and device values drawn from small
 * skewed lists. The hash of i stands in for a random source, so a reseed gives the same data.
 */
const VISITS_SQL = `
  WITH g AS (
    SELECT i,
           $4::timestamptz - ($5::int * interval '1 day') * (1 - i::float8 / $3::int) AS at,
           abs(hashint4(i)) AS h1, abs(hashint4(i + 7919)) AS h2, abs(hashint4(i + 104729)) AS h3
    FROM generate_series($1::int, $2::int) i
  ), r AS (
    SELECT i, at, h1, h2, h3,
           1 + floor(power((h1 % 10007) / 10007.0, 2) * $6::int)::int AS camp,
           (ARRAY['US','US','US','GB','DE','FR','IN','IN','BR','CA','AU','NP','JP','ES','IT','MX','NL','PL','TR','ID'])[1 + h2 % 20] AS country,
           (ARRAY['Windows','Windows','iOS','iOS','Android','Android','Android','Mac OS','Linux','Chrome OS'])[1 + h3 % 10] AS os
    FROM g
  )
  INSERT INTO visits (id, created_at, campaign_id, traffic_source_id, offer_id, offer_link_id, landing_page_id, external_id,
                      query, remaped, cost, cost_currency, ip, ua, agent, os, device, browser, os_family, device_family,
                      mobile, bot, lang, country, region, city, tz, referer, method, url, protocol, host, is_unique)
  SELECT lpad(to_hex((extract(epoch FROM at) * 1000)::bigint), 12, '0') || lpad(to_hex(i), 12, '0'),
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
         'Mozilla/5.0 (' || os || ') AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.' || (h1 % 5000) || '.0 Safari/537.36',
         jsonb_build_object('family', CASE WHEN h3 % 7 = 0 THEN 'Firefox' WHEN os = 'iOS' THEN 'Mobile Safari' ELSE 'Chrome' END, 'major', '120', 'minor', '0', 'patch', '1'),
         jsonb_build_object('family', os, 'major', '10', 'minor', null, 'patch', null, 'patchMinor', null),
         jsonb_build_object('family', CASE WHEN os IN ('iOS', 'Android') THEN 'Smartphone' ELSE 'Other' END, 'brand', null, 'model', null),
         CASE WHEN h3 % 7 = 0 THEN 'Firefox' WHEN os = 'iOS' THEN 'Mobile Safari' ELSE 'Chrome' END,
         os,
         CASE WHEN os IN ('iOS', 'Android') THEN 'Smartphone' ELSE 'Other' END,
         os IN ('iOS', 'Android'),
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
         h2 % 5 <> 0
  FROM r`;

/** One conversion for every `every`-th click, 0-3 days after it (never after the seed's end), written in time order. */
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
        FROM visits v WHERE ('x' || substr(v.id, 13))::bit(48)::bigint % $1::int = 0) v
  JOIN offers o ON o.id = v.offer_id
  ORDER BY at`;
