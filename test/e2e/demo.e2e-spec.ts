import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runDemo } from '../../scripts/demo';
import type { DemoResult } from '../../scripts/demo';
import { MARKETS } from '../../scripts/demo/demo.world';
import { adminUrl, withDatabase } from '../support/pg-server';
import { startTestApp, TestApp, testDatabaseName } from '../support/test-app';

const cents = (n: number | string) => Math.round(Number(n) * 100);

/** Collects what the demo prints, as a non-terminal would. */
function sink(): { write(s: string): boolean; isTTY: false; text(): string } {
  const parts: string[] = [];
  return { write: (s) => parts.push(s) > 0, isTTY: false, text: () => parts.join('') };
}

interface CountryFigures {
  clicks: number;
  conversions: number;
  revenue: number;
  cost: number;
  profit: number;
}

/** Per country, in cents, from a report's rows. */
function byCountry(rows: ({ country?: string | null } & CountryFigures)[]): Record<string, CountryFigures> {
  const out: Record<string, CountryFigures> = {};
  for (const r of rows) {
    out[r.country ?? '(unknown)'] = { clicks: r.clicks, conversions: r.conversions, revenue: cents(r.revenue), cost: cents(r.cost), profit: cents(r.profit) };
  }
  return out;
}

describe('npm run demo', () => {
  let t: TestApp;
  let out: ReturnType<typeof sink>;
  let demo: DemoResult;
  before(async () => {
    t = await startTestApp();
    out = sink();
    demo = await runDemo({ server: { url: t.url, adminKey: t.adminKey }, out });
  });
  after(() => t.close());

  it('prints per-country rows and totals that GET /api/v1/reports gives for the campaign', async () => {
    assert.deepEqual(demo.problems, [], out.text());
    const r = await t.http().get(`/api/v1/reports?groupBy=country&campaign=${demo.campaign.id}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(byCountry(demo.rows), byCountry(r.body.rows));
    assert.ok(demo.rows.every((row) => row.campaign === 'Demo campaign'));
    assert.ok(demo.rows.length >= 8, `visitors from many countries: ${demo.rows.map((x) => x.country).join(',')}`);
    const sum = (k: keyof CountryFigures) => Object.values(byCountry(r.body.rows)).reduce((s, x) => s + x[k], 0);
    assert.deepEqual(
      {
        clicks: demo.totals.clicks,
        conversions: demo.totals.conversions,
        revenue: cents(demo.totals.revenue),
        cost: cents(demo.totals.cost),
        profit: cents(demo.totals.profit),
      },
      { clicks: sum('clicks'), conversions: sum('conversions'), revenue: sum('revenue'), cost: sum('cost'), profit: sum('profit') },
    );
    assert.ok(demo.totals.clicks >= 200 && demo.totals.conversions >= 12 && demo.totals.revenue > 0 && demo.totals.cost > 0);
  });

  it('totals match the rows stored in the database, and each visitor is placed in its own country', async () => {
    const [v] = await t.db.query(
      `SELECT count(*)::int AS clicks, sum(cost) AS cost, count(DISTINCT country)::int AS countries FROM visits WHERE campaign_id = $1`,
      [demo.campaign.id],
    );
    const [c] = await t.db.query(
      `SELECT count(*)::int AS conversions, coalesce(sum(payout), 0) AS revenue,
              count(*) FILTER (WHERE status = 'pending')::int AS pending FROM conversions WHERE campaign_id = $1 AND status <> 'declined'`,
      [demo.campaign.id],
    );
    assert.equal(demo.totals.clicks, v.clicks);
    assert.equal(cents(demo.totals.cost), cents(v.cost));
    assert.equal(demo.totals.conversions, c.conversions);
    assert.equal(cents(demo.totals.revenue), cents(c.revenue));
    assert.ok(c.pending >= 1, 'a Tradedoubler sale is left pending and still counts');
    const [declined] = await t.db.query(`SELECT count(*)::int AS n FROM conversions WHERE campaign_id = $1 AND status = 'declined'`, [demo.campaign.id]);
    assert.equal(declined.n, 1, 'the chargeback');
    const known = new Set(MARKETS.map((m) => m.country));
    assert.ok(
      demo.rows.every((row) => row.country !== null && known.has(row.country)),
      JSON.stringify(demo.rows.map((x) => x.country)),
    );
    assert.equal(v.countries, demo.rows.length);
  });

  it('sent every network format, a repeat and status changes, and the inbound log kept each call', async () => {
    assert.equal(demo.sent.outcomes.duplicate, 2, 'the repeated postback and the late Tradedoubler message');
    assert.ok(demo.sent.outcomes.updated >= 2, JSON.stringify(demo.sent.outcomes));
    assert.ok(demo.sent.outcomes.pixel >= 1);
    const rows: { endpoint: string; n: number }[] = await t.db.query(
      `SELECT endpoint, count(*)::int AS n FROM postbacks WHERE affiliate_network_id = $1 GROUP BY endpoint`,
      [demo.affiliateNetworkId],
    );
    const endpoints = Object.fromEntries(rows.map((x) => [x.endpoint, x.n]));
    for (const e of ['generic', 'pixel', 'trackdesk', 'tradedoubler', 'tradetracker']) assert.ok(endpoints[e] > 0, `${e}: ${JSON.stringify(endpoints)}`);
    assert.equal(
      Object.values(endpoints).reduce((s, n) => s + n, 0),
      demo.sent.messages,
    );
  });

  it('prints an aligned table whose total line is the report total, and how to explore further', () => {
    const text = out.text();
    assert.ok(!text.includes('\r'), 'no carriage returns when the output is not a terminal');
    const lines = text.split('\n');
    const header = lines.findIndex((l) => /^Campaign\s+Country\s+Clicks\s+Conversions\s+Revenue\s+Cost\s+Profit\s+ROI$/.test(l));
    assert.ok(header >= 0, text);
    const total = lines.find((l) => l.startsWith('Total '))!;
    assert.equal(total.length, lines[header].length, 'columns line up');
    const fields = total.trim().split(/\s+/);
    const money = (s: string) => cents(s.replace(/,/g, ''));
    assert.equal(Number(fields[1]), demo.totals.clicks);
    assert.equal(Number(fields[2]), demo.totals.conversions);
    assert.deepEqual([money(fields[3]), money(fields[4]), money(fields[5])], [cents(demo.totals.revenue), cents(demo.totals.cost), cents(demo.totals.profit)]);
    assert.match(text, /Check: the report matches what was sent/);
    assert.ok(text.includes(`Tracking URL   ${t.url}/c/${demo.campaign.key}?`));
    assert.ok(text.includes(`Admin API key  ${t.adminKey}`));
    assert.ok(text.includes(`/api/v1/reports?groupBy=campaign,country&campaign=${demo.campaign.id}`));
  });

  it('gives the same report on every run (seeded traffic), under the next free campaign key', async () => {
    const again = await runDemo({ server: { url: t.url, adminKey: t.adminKey }, out: sink() });
    assert.equal(again.campaign.key, 'demo-2');
    assert.deepEqual(again.problems, []);
    assert.deepEqual(byCountry(again.rows), byCountry(demo.rows));
  });
});

describe('npm run demo from the command line', () => {
  let tmp: string;
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | null = null;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'demo-cli-test-'));
    if (process.env.DATABASE_URL) {
      const name = testDatabaseName();
      const admin = adminUrl(process.env.DATABASE_URL);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.TEST_TEMPLATE_DB}`);
      await admin.end();
      databaseUrl = withDatabase(process.env.DATABASE_URL, name);
      dropDb = async () => {
        const a = adminUrl(process.env.DATABASE_URL!);
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      };
    }
  });
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await dropDb?.();
  });

  it('starts its own tracker, prints plain progress lines and the checked report, then stops and cleans up', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, DATA_DIR: '', ADMIN_API_KEY: '', LOG_LEVEL: '', DATABASE_URL: databaseUrl ?? '' };
    const child = spawn(process.execPath, [join(__dirname, '../../scripts/demo.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /^Clicks 75\/300$/m, 'plain progress lines off a terminal');
    assert.match(stdout, /^Check: the report matches what was sent/m);
    assert.match(stdout, /^Total\s+300\s/m);
    assert.equal(/^\{"level".*$/m.exec(stdout)?.[0], undefined, 'no log lines at the default warn level');
    const key = /Admin API key {2}(tk_\S+)/.exec(stdout)?.[1];
    assert.ok(key, stdout);
    if (databaseUrl) {
      assert.match(stdout, /PostgreSQL server in DATABASE_URL/);
      // The data outlives the demo here, so the printed key is stored in the database.
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
      const { rows } = await db.query(`SELECT scope FROM api_keys WHERE name = 'demo admin key'`);
      await db.end();
      assert.deepEqual(rows, [{ scope: 'admin' }]);
    } else {
      assert.match(stdout, /embedded PostgreSQL in a fresh temporary folder, .*tracker-demo-/);
      assert.deepEqual(readdirSync(tmp), [], 'the temporary data folder is removed');
    }
  });
});
