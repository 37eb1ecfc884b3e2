import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReportRollups1763760000000 } from '../../migrations/1763760000000-report-rollups';
import { RouteRollups1797300000000 } from '../../migrations/1797300000000-route-rollups';
import { SLOT_DAY_VALUES, SLOT_VALUE_MAX, SlotRollups1797400000000 } from '../../migrations/1797400000000-slot-rollups';
import { SlotValueRollups1797500000000 } from '../../migrations/1797500000000-slot-value-rollups';
import { mintId } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/test-app';
import { insertConversion, insertVisit } from '../support/report.fixture';

/** A small deterministic random source (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface V {
  id: string;
  at: string;
  campaignId: string;
  offerId: string | null;
  trafficSourceId: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  os: string | null;
  bot: boolean;
  unique: boolean;
  costCents: number;
  source: string | null;
  rule: number | null;
  datacenter: string | null;
}
interface C {
  at: string;
  visit: V;
  status: 'approved' | 'pending' | 'declined';
  payoutCents: number;
}

/** The local bucket of an instant, worked out with Intl alone (not with the code under test). */
function localBucket(iso: string, tz: string, grain: 'hour' | 'day' | 'week'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  if (grain === 'hour') return `${date}T${parts.hour}:00`;
  if (grain === 'day') return date;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

type Totals = Record<string, number>;

/** One offer and a campaign of each name sending all its clicks to it; answers the campaigns' ids. */
async function offerCampaigns(t: TestApp, names: string[]): Promise<string[]> {
  const offer = (await t.http().post('/api/v1/offers').set(t.auth).send({ name: 'O', url: 'https://o.example/' })).body.id;
  const ids: string[] = [];
  for (const name of names)
    ids.push(
      (
        await t
          .http()
          .post('/api/v1/campaigns')
          .set(t.auth)
          .send({ name, destinations: [{ offerId: offer, weight: 1 }] })
      ).body.id,
    );
  return ids;
}

describe('reports from rollups agree with figures worked out from the rows', () => {
  let t: TestApp;
  const visits: V[] = [];
  const conversions: C[] = [];
  const campaigns: string[] = [];
  // Neither end on a quarter hour; 9 March 2025 07:00Z is the start of summer time in New York.
  const FROM = '2025-03-08T03:07:11.000Z';
  const TO = '2025-03-11T21:52:30.500Z';

  before(async () => {
    t = await startTestApp();
    const post = async (path: string, body: object) => (await t.http().post(`/api/v1${path}`).set(t.auth).send(body)).body;
    const source = (await post('/traffic-sources', { name: 'S' })).id;
    const offer = (await post('/offers', { name: 'O', url: 'https://o.example/' })).id;
    for (const name of ['Alpha', 'Beta'])
      campaigns.push((await post('/campaigns', { name, trafficSourceId: source, destinations: [{ offerId: offer, weight: 1 }] })).id);
    const r = random(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const start = Date.parse('2025-03-08T00:00:00Z');
    for (let i = 0; i < 400; i++) {
      const at = new Date(start + Math.floor(r() * 4 * 86_400_000)).toISOString();
      const v = {
        at,
        campaignId: pick(campaigns),
        offerId: offer,
        trafficSourceId: source,
        country: pick(['US', 'DE', 'NP', null]),
        region: pick(['R1', 'R2', null]),
        city: pick(['Kathmandu', 'Berlin', 'Boston', null]),
        os: pick(['iOS', 'Windows', null]),
        bot: r() < 0.1,
        unique: r() < 0.7,
        costCents: 1 + Math.floor(r() * 10),
        source: pick(['blog', 'mail', null]),
        rule: pick([0, 1, null]),
        datacenter: pick(['AWS', 'Hetzner', null, null]),
      };
      const row = await insertVisit(t.db, {
        ...v,
        cost: (v.costCents / 100).toFixed(2),
        remaped: v.source === null ? {} : { source: v.source },
        ruleIndex: v.rule,
        ruleName: v.rule === null ? null : ['US desktop', 'Mobile'][v.rule],
      });
      visits.push({ ...v, id: row.id });
    }
    for (const v of visits.filter(() => r() < 0.2)) {
      const c: C = {
        visit: v,
        at: new Date(Date.parse(v.at) + Math.floor(r() * 30 * 3_600_000)).toISOString(),
        status: pick(['approved', 'pending', 'declined'] as const),
        payoutCents: 100 + Math.floor(r() * 5000),
      };
      await insertConversion(t.db, {
        at: c.at,
        visit: { id: v.id, at: v.at, campaignId: v.campaignId, offerId: v.offerId, trafficSourceId: v.trafficSourceId },
        status: c.status,
        payout: (c.payoutCents / 100).toFixed(2),
      });
      conversions.push(c);
    }
  });
  after(() => t.close());

  /** Expected rows keyed by the grouped values joined with '|'. */
  function expected(key: (x: { at: string; v: V }) => string | null, opts: { clock?: 'visit'; keep?: (v: V) => boolean } = {}): Map<string, Totals> {
    const out = new Map<string, Totals>();
    const row = (k: string) => {
      if (!out.has(k))
        out.set(k, { clicks: 0, uniqueClicks: 0, botClicks: 0, costCents: 0, conversions: 0, approved: 0, pending: 0, declined: 0, revenueCents: 0 });
      return out.get(k)!;
    };
    const inWindow = (iso: string) => iso >= FROM && iso < TO;
    for (const v of visits) {
      if (!inWindow(v.at) || (opts.keep && !opts.keep(v))) continue;
      const k = row(String(key({ at: v.at, v })));
      k.clicks++;
      k.uniqueClicks += Number(v.unique);
      k.botClicks += Number(v.bot);
      k.costCents += v.costCents;
    }
    for (const c of conversions) {
      const at = opts.clock === 'visit' ? c.visit.at : c.at;
      if (!inWindow(at) || (opts.keep && !opts.keep(c.visit))) continue;
      const k = row(String(key({ at, v: c.visit })));
      k[c.status]++;
      if (c.status !== 'declined') {
        k.conversions++;
        k.revenueCents += c.payoutCents;
      }
    }
    return out;
  }

  async function actual(query: string, key: (row: Record<string, any>) => string): Promise<Map<string, Totals>> {
    const r = await t.http().get(`/api/v1/reports?${query}&from=${FROM}&to=${TO}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    const out = new Map<string, Totals>();
    for (const x of r.body.rows as Record<string, any>[]) {
      const k = key(x);
      assert.ok(!out.has(k), `one row per group: ${k}`);
      out.set(k, {
        clicks: x.clicks,
        uniqueClicks: x.uniqueClicks,
        botClicks: x.botClicks,
        costCents: Math.round(x.cost * 100),
        conversions: x.conversions,
        approved: x.approved,
        pending: x.pending,
        declined: x.declined,
        revenueCents: Math.round(x.revenue * 100),
      });
    }
    return out;
  }

  const sorted = (m: Map<string, Totals>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

  it('campaign by day in New York across the start of summer time', async () => {
    const exp = expected(({ at, v }) => `${v.campaignId}|${localBucket(at, 'America/New_York', 'day')}`, { keep: (v) => campaigns.includes(v.campaignId) });
    const act = await actual(`groupBy=campaign,day&tz=America/New_York&campaign=${campaigns[0]}&campaign=${campaigns[1]}`, (x) => `${x.campaign.id}|${x.day}`);
    assert.deepEqual(sorted(act), sorted(exp));
  });

  it('country by hour in Kathmandu (+05:45), from the audience rollup', async () => {
    const exp = expected(({ at, v }) => `${v.country}|${localBucket(at, 'Asia/Kathmandu', 'hour')}`);
    const act = await actual('groupBy=country,hour&tz=Asia/Kathmandu', (x) => `${x.country}|${x.hour}`);
    assert.deepEqual(sorted(act), sorted(exp));
  });

  it('city and region by hour in Kathmandu (+05:45), from the geo rollup', async () => {
    const exp = expected(({ at, v }) => `${v.region}|${v.city}|${localBucket(at, 'Asia/Kathmandu', 'hour')}`);
    const act = await actual('groupBy=region,city,hour&tz=Asia/Kathmandu', (x) => `${x.region}|${x.city}|${x.hour}`);
    assert.deepEqual(sorted(act), sorted(exp));
    const berlin = expected(({ at, v }) => `${v.country}|${localBucket(at, 'UTC', 'day')}`, { keep: (v) => v.city === 'Berlin' });
    assert.deepEqual(sorted(await actual('groupBy=country,day&city=Berlin', (x) => `${x.country}|${x.day}`)), sorted(berlin));
  });

  it('os by day in Kolkata (+05:30) at visit time, filtered by bot and country', async () => {
    const keep = (v: V) => !v.bot && v.country === 'US';
    const exp = expected(({ at, v }) => `${v.os}|${localBucket(at, 'Asia/Kolkata', 'day')}`, { clock: 'visit', keep });
    const act = await actual('groupBy=os,day&tz=Asia/Kolkata&conversionTime=visit&bot=false&country=US', (x) => `${x.os}|${x.day}`);
    assert.deepEqual(sorted(act), sorted(exp));
  });

  it('rule by hour in Kathmandu (+05:45) and data centre by offer, from the route rollup', async () => {
    const ruleName = (x: { index: number; name: string } | null) => (x === null ? 'null' : `${x.index}:${x.name}`);
    const exp = expected(
      ({ at, v }) => `${v.rule === null ? 'null' : `${v.rule}:${['US desktop', 'Mobile'][v.rule]}`}|${localBucket(at, 'Asia/Kathmandu', 'hour')}`,
    );
    assert.deepEqual(sorted(await actual('groupBy=rule,hour&tz=Asia/Kathmandu', (x) => `${ruleName(x.rule)}|${x.hour}`)), sorted(exp));
    const dc = expected(({ v }) => `${v.datacenter !== null}|${v.offerId}`, { keep: (v) => v.campaignId === campaigns[0] });
    assert.deepEqual(sorted(await actual(`groupBy=datacenter,offer&campaign=${campaigns[0]}`, (x) => `${x.datacenter}|${x.offer.id}`)), sorted(dc));
    const byRule = expected(({ at }) => localBucket(at, 'Asia/Kolkata', 'day'), { keep: (v) => v.rule === 1 && v.datacenter === null });
    assert.deepEqual(sorted(await actual('groupBy=day&tz=Asia/Kolkata&rule=1&datacenter=false', (x) => x.day)), sorted(byRule));
  });

  it('weeks from Monday in Kathmandu, and a remapped slot read from raw visits', async () => {
    const weeks = expected(({ at }) => localBucket(at, 'Asia/Kathmandu', 'week'));
    assert.deepEqual(sorted(await actual('groupBy=week&tz=Asia/Kathmandu', (x) => x.week)), sorted(weeks));
    const slots = expected(({ at, v }) => `${v.source}|${localBucket(at, 'UTC', 'day')}`, { keep: (v) => v.campaignId === campaigns[1] });
    assert.deepEqual(sorted(await actual(`groupBy=source,day&campaign=${campaigns[1]}`, (x) => `${x.source}|${x.day}`)), sorted(slots));
  });
});

describe('rollups and conversion facts follow every change', () => {
  let t: TestApp;
  let campaign: string;
  let other: string;
  const range = 'from=2018-06-01T00:00:00Z&to=2018-06-02T00:00:00Z';
  before(async () => {
    t = await startTestApp();
    [campaign, other] = await offerCampaigns(t, ['C', 'D']);
  });
  after(() => t.close());

  const totals = async (extra = '', c = campaign) => {
    const r = await t.http().get(`/api/v1/reports?groupBy=country&campaign=${c}&${range}${extra}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    return Object.fromEntries(r.body.rows.map((x: Record<string, any>) => [x.country, [x.clicks, x.conversions, x.pending, x.approved, x.revenue]]));
  };

  it('status changes, late attribution, lander clicks and deletes', async () => {
    const v1 = await insertVisit(t.db, { at: '2018-06-01T10:00:00.000Z', campaignId: campaign, country: 'US' });
    const v2 = await insertVisit(t.db, { at: '2018-06-01T10:05:00.000Z', campaignId: campaign, country: 'DE' });
    const conv = await insertConversion(t.db, { at: '2018-06-01T11:00:00.000Z', visit: v1, status: 'pending', payout: '5' });
    assert.deepEqual(await totals(), { US: [1, 1, 1, 0, 5], DE: [1, 0, 0, 0, 0] });

    await t.db.query(`UPDATE conversions SET status = 'approved', payout = 7 WHERE id = $1`, [conv]);
    assert.deepEqual(await totals(), { US: [1, 1, 0, 1, 7], DE: [1, 0, 0, 0, 0] });

    // A conversion that waited for its click: attributed later, it takes the visit's country.
    const waiting = await insertConversion(t.db, { at: '2018-06-01T12:00:00.000Z', visit: null, campaignId: campaign, status: 'approved', payout: '1' });
    assert.deepEqual((await totals())['null'], [0, 1, 0, 1, 1]);
    await t.db.query(`UPDATE conversions SET visit_id = $2, visit_created_at = $3 WHERE id = $1`, [waiting, v2.id, v2.at]);
    assert.deepEqual(await totals(), { US: [1, 1, 0, 1, 7], DE: [1, 1, 0, 1, 1] });

    await t.db.query(`UPDATE visits SET lp_clicked_at = now() WHERE id = $1`, [v1.id]);
    await t.db.query(`UPDATE visits SET country = 'FR' WHERE id = $1`, [v2.id]);
    assert.deepEqual(await totals(), { US: [1, 1, 0, 1, 7], FR: [1, 1, 0, 1, 1] }, 'the click and its conversion moved to FR; a lander click changed nothing');
    await t.db.query(`UPDATE visits SET datacenter = 'AWS', rule_index = 2, rule_name = 'R' WHERE id = $1`, [v2.id]);
    const routed = await t.http().get(`/api/v1/reports?groupBy=datacenter,rule&campaign=${campaign}&${range}`).set(t.auth);
    assert.deepEqual(
      routed.body.rows.map((x: Record<string, any>) => [x.datacenter, x.rule, x.clicks, x.conversions]),
      [
        [false, null, 1, 1],
        [true, { index: 2, name: 'R' }, 1, 1],
      ],
      'the route rollup and the conversion facts follow the visit',
    );

    await t.db.query(`DELETE FROM conversions WHERE id = $1`, [conv]);
    await t.db.query(`DELETE FROM visits WHERE id = $1`, [v1.id]);
    assert.equal((await totals()).US?.[0] ?? 0, 0);
    assert.equal((await totals()).US?.[1] ?? 0, 0);
  });

  it('the migration folds the rows that were there before it', async () => {
    const v = await insertVisit(t.db, { at: '2018-06-01T20:00:00.000Z', campaignId: other, country: 'NP', cost: '0.25' });
    await insertConversion(t.db, { at: '2018-06-01T21:00:00.000Z', visit: v, status: 'approved', payout: '2' });
    const before = await totals('&groupBy=day&tz=Asia/Kathmandu', other);
    const runner = t.db.createQueryRunner();
    try {
      const migration = new ReportRollups1763760000000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    assert.deepEqual(await totals('&groupBy=day&tz=Asia/Kathmandu', other), before);
    assert.deepEqual(before, { NP: [1, 1, 0, 1, 2] });
  });

  it('TRUNCATE empties the rollups and facts too', async () => {
    await insertVisit(t.db, { at: '2018-06-01T22:00:00.000Z', campaignId: other, country: 'NP' });
    await t.db.query('TRUNCATE conversion_history, conversions, visits');
    assert.deepEqual(await totals('', other), {});
    assert.deepEqual(await t.db.query('SELECT count(*)::int AS n FROM rollup_clicks_by_audience'), [{ n: 0 }]);
    assert.deepEqual(await t.db.query('SELECT count(*)::int AS n FROM conversion_facts'), [{ n: 0 }]);
  });
});

describe('the route migration (1797300000000) on rows that were there before it', () => {
  let t: TestApp;
  let campaign: string;
  before(async () => {
    t = await startTestApp();
    [campaign] = await offerCampaigns(t, ['C']);
  });
  after(() => t.close());

  it('the route migration fills its family and the facts from the rows there before it', async () => {
    const day = 'from=2018-06-03T00:00:00Z&to=2018-06-04T00:00:00Z';
    const v = await insertVisit(t.db, {
      at: '2018-06-03T08:00:00.000Z',
      campaignId: campaign,
      ruleIndex: 1,
      ruleName: 'Mobile',
      datacenter: 'OVH',
      remaped: { zone: 'z9' },
    });
    await insertVisit(t.db, { at: '2018-06-03T09:00:00.000Z', campaignId: campaign });
    await insertConversion(t.db, { at: '2018-06-03T10:00:00.000Z', visit: v, status: 'approved', payout: '3' });
    const read = async (groupBy: string) => {
      const r = await t.http().get(`/api/v1/reports?groupBy=${groupBy}&campaign=${campaign}&${day}`).set(t.auth);
      assert.equal(r.status, 200, r.text);
      return r.body.rows.map((x: Record<string, any>) => [x[groupBy.split(',')[0]], x.clicks, x.conversions]);
    };
    const runner = t.db.createQueryRunner();
    try {
      const migration = new RouteRollups1797300000000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    assert.deepEqual(await read('rule'), [
      [{ index: 1, name: 'Mobile' }, 1, 1],
      [null, 1, 0],
    ]);
    assert.deepEqual(await read('datacenter'), [
      [false, 1, 0],
      [true, 1, 1],
    ]);
    assert.deepEqual(await read('zone'), [
      ['z9', 1, 1],
      [null, 1, 0],
    ]);
  });
});

describe('the slot rollups keep a bounded number of values per campaign and day, and over all campaigns', () => {
  let t: TestApp;
  let busy: string;
  let quiet: string;
  const DAY1 = '2018-07-01';
  const DAY2 = '2018-07-02';
  const DAY3 = '2018-07-03';
  const DAY4 = '2018-07-04';
  const window = `from=${DAY1}T00:00:00Z&to=2018-07-05T00:00:00Z`;
  /** Every visit written: its id, campaign, UTC day, day in New York, zone (or none) and cost in cents. */
  const rows: { id: string; campaign: string; day: string; nyDay: string; zone: string | null; cents: number }[] = [];
  const newYorkDay = (at: number) => new Date(at).toLocaleDateString('en-CA', { timeZone: 'America/New_York' });

  /** Visits written in one statement (thousands at once), each with `event_id` and its zone as slots. */
  async function write(campaign: string, day: string, zones: (string | null)[]): Promise<void> {
    const start = Date.parse(`${day}T00:00:00Z`);
    const batch = zones.map((zone, i) => {
      const at = start + Math.floor((i * 86_399_000) / zones.length);
      const id = mintId(at);
      const cents = 1 + (i % 7);
      rows.push({ id, campaign, day, nyDay: newYorkDay(at), zone, cents });
      return {
        id,
        created_at: new Date(at).toISOString(),
        campaign_id: campaign,
        cost: (cents / 100).toFixed(2),
        remaped: { event_id: id, ...(zone === null ? {} : { zone, source: 'feed' }) },
      };
    });
    await t.db.query(
      `INSERT INTO visits (id, created_at, campaign_id, cost, remaped, is_unique)
       SELECT r.id, r.created_at, r.campaign_id, r.cost, r.remaped, true FROM json_to_recordset($1::json) AS r(id text, created_at timestamptz, campaign_id text, cost numeric, remaped jsonb)`,
      [JSON.stringify(batch)],
    );
  }

  /** What raw visits say: clicks and cost in cents per key. */
  function expected(key: (r: (typeof rows)[number]) => string | null): Map<string, [number, number]> {
    const out = new Map<string, [number, number]>();
    for (const r of rows) {
      const k = key(r);
      if (k === null) continue;
      const [clicks, cents] = out.get(k) ?? [0, 0];
      out.set(k, [clicks + 1, cents + r.cents]);
    }
    return out;
  }

  async function actual(query: string, key: (x: Record<string, any>) => string): Promise<Map<string, [number, number]>> {
    const r = await t.http().get(`/api/v1/reports?${query}&${window}`).set(t.auth);
    assert.equal(r.status, 200, r.text);
    return new Map(r.body.rows.map((x: Record<string, any>) => [key(x), [x.clicks, Math.round(x.cost * 100)]]));
  }

  const sorted = (m: Map<string, [number, number]>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

  async function agrees(): Promise<void> {
    assert.deepEqual(
      sorted(await actual(`groupBy=zone,day&campaign=${busy}`, (x) => `${x.zone}|${x.day}`)),
      sorted(expected((r) => (r.campaign === busy ? `${r.zone}|${r.day}` : null))),
      'one campaign by zone and day',
    );
    assert.deepEqual(
      sorted(await actual('groupBy=zone,campaign', (x) => `${x.zone}|${x.campaign.id}`)),
      sorted(expected((r) => `${r.zone}|${r.campaign}`)),
      'every campaign by zone, the clicks without a zone under null',
    );
    assert.deepEqual(
      sorted(await actual('groupBy=day&zone=z1&zone=z4999', (x) => x.day)),
      sorted(expected((r) => (r.zone === 'z1' || r.zone === 'z4999' ? r.day : null))),
      'filtered by two zones',
    );
    // Over every campaign: the value rollup (campaigns summed), its overflowed days from the visits.
    assert.deepEqual(sorted(await actual('groupBy=zone', (x) => `${x.zone}`)), sorted(expected((r) => `${r.zone}`)), 'every campaign by zone');
    assert.deepEqual(
      sorted(await actual('groupBy=zone,day', (x) => `${x.zone}|${x.day}`)),
      sorted(expected((r) => `${r.zone}|${r.day}`)),
      'every campaign by zone and day',
    );
    // New York days (04:00 to 04:00 UTC in July): each UTC day from the rollup less 4 hours of raw
    // visits, plus 4 hours of the next; the days past the limit from their visits.
    assert.deepEqual(
      sorted(await actual(`groupBy=zone,day&campaign=${busy}&tz=America/New_York`, (x) => `${x.zone}|${x.day}`)),
      sorted(expected((r) => (r.campaign === busy ? `${r.zone}|${r.nyDay}` : null))),
      'one campaign by zone and New York day',
    );
    assert.deepEqual(
      sorted(await actual('groupBy=zone,day&tz=America/New_York', (x) => `${x.zone}|${x.day}`)),
      sorted(expected((r) => `${r.zone}|${r.nyDay}`)),
      'every campaign by zone and New York day',
    );
  }

  before(async () => {
    t = await startTestApp();
    [busy, quiet] = await offerCampaigns(t, ['Busy', 'Quiet']);
    // One more value than the rollup keeps on the busy campaign's first day; few on the rest.
    await write(busy, DAY1, [...Array.from({ length: SLOT_DAY_VALUES + 1 }, (_, i) => `z${i}`), 'z1', null]);
    await write(busy, DAY2, ['z1', 'z2', 'z1', null]);
    await write(quiet, DAY1, ['z1', 'q', null]);
    // A value too long to keep overflows its day at once.
    await write(quiet, DAY2, ['q', `u${'x'.repeat(SLOT_VALUE_MAX)}`]);
    // A day well inside both limits.
    await write(busy, DAY3, ['z1', 'z2', null]);
    await write(quiet, DAY3, ['z1', 'q']);
    // Each campaign inside the limit, the two together past it.
    const half = SLOT_DAY_VALUES / 2 + 100;
    await write(
      busy,
      DAY4,
      Array.from({ length: half }, (_, i) => `a${i}`),
    );
    await write(
      quiet,
      DAY4,
      Array.from({ length: half }, (_, i) => `b${i}`),
    );
  });
  after(() => t.close());

  it('the day past the limit overflows: its rows are gone and reports read its visits, exactly', async () => {
    await agrees();
    const days = await t.db.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, slot, CASE campaign_id WHEN $1 THEN 'busy' WHEN $2 THEN 'quiet' WHEN '' THEN 'all' END AS campaign, overflowed
       FROM rollup_slot_days ORDER BY 1, 2, 3`,
      [busy, quiet],
    );
    assert.deepEqual(
      days.map((d: Record<string, unknown>) => [d.day, d.slot, d.campaign, d.overflowed]),
      [
        [DAY1, 'source', 'all', false],
        [DAY1, 'source', 'busy', false],
        [DAY1, 'source', 'quiet', false],
        [DAY1, 'zone', 'all', true],
        [DAY1, 'zone', 'busy', true],
        [DAY1, 'zone', 'quiet', false],
        [DAY2, 'source', 'all', false],
        [DAY2, 'source', 'busy', false],
        [DAY2, 'source', 'quiet', false],
        [DAY2, 'zone', 'all', true],
        [DAY2, 'zone', 'busy', false],
        [DAY2, 'zone', 'quiet', true],
        [DAY3, 'source', 'all', false],
        [DAY3, 'source', 'busy', false],
        [DAY3, 'source', 'quiet', false],
        [DAY3, 'zone', 'all', false],
        [DAY3, 'zone', 'busy', false],
        [DAY3, 'zone', 'quiet', false],
        [DAY4, 'source', 'all', false],
        [DAY4, 'source', 'busy', false],
        [DAY4, 'source', 'quiet', false],
        [DAY4, 'zone', 'all', true],
        [DAY4, 'zone', 'busy', false],
        [DAY4, 'zone', 'quiet', false],
      ],
    );
    const values = await t.db.query(
      `SELECT to_char(bucket, 'YYYY-MM-DD') AS day, count(*)::int AS n, sum(clicks)::int AS clicks FROM rollup_clicks_by_slot_value WHERE slot = 'zone' GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(values, [{ day: DAY3, n: 3, clicks: 4 }], 'zone values over all campaigns kept for the third day alone: z1, z2 and q');
    const [left] = await t.db.query(
      `SELECT count(*) FILTER (WHERE bucket < $2)::int AS day1, count(*) FILTER (WHERE bucket >= $2 AND bucket < $3 AND grain = 1440)::int AS day2
       FROM rollup_clicks_by_slot WHERE slot = 'zone' AND campaign_id = $1`,
      [busy, `${DAY2}T00:00:00Z`, `${DAY3}T00:00:00Z`],
    );
    const empty = await t.http().get(`/api/v1/reports?groupBy=zone&from=${DAY2}T00:00:00Z&to=${DAY2}T00:00:00Z`).set(t.auth);
    assert.equal(empty.status, 200, empty.text);
    assert.deepEqual(empty.body.rows, [], 'an empty window');
    assert.equal(left.day1, 0, 'no zone rows left for the overflowed day');
    assert.equal(left.day2, 2, 'the second day keeps its two zones');
  });

  it('follows changes and deletes of visits on both kinds of day', async () => {
    const day1 = rows.find((r) => r.campaign === busy && r.day === DAY1 && r.zone === 'z1')!;
    const day2 = rows.find((r) => r.campaign === busy && r.day === DAY2 && r.zone === 'z1')!;
    await t.db.query(`UPDATE visits SET cost = 0.5 WHERE id = ANY ($1)`, [[day1.id, day2.id]]);
    day1.cents = day2.cents = 50;
    const gone = rows.findIndex((r) => r.campaign === busy && r.day === DAY2 && r.zone === 'z2');
    await t.db.query(`DELETE FROM visits WHERE id = $1`, [rows[gone].id]);
    rows.splice(gone, 1);
    await agrees();
  });

  it('the migrations build the same rollups from the visits there before them', async () => {
    const rollup = async () => ({
      slots: await t.db.query(
        `SELECT slot, grain, bucket, campaign_id, value, cost_currency, clicks, unique_clicks, bot_clicks, round(cost, 6) AS cost, lander_visits, lander_clicks
         FROM rollup_clicks_by_slot WHERE clicks <> 0 ORDER BY slot, grain, bucket, campaign_id, value`,
      ),
      values: await t.db.query(
        `SELECT slot, grain, bucket, value, cost_currency, clicks, unique_clicks, bot_clicks, round(cost, 6) AS cost, lander_visits, lander_clicks
         FROM rollup_clicks_by_slot_value WHERE clicks <> 0 ORDER BY slot, grain, bucket, value`,
      ),
    });
    const before = await rollup();
    assert.ok(before.slots.length > 0 && before.values.length > 0);
    const runner = t.db.createQueryRunner();
    try {
      const slots = new SlotRollups1797400000000();
      const values = new SlotValueRollups1797500000000();
      await values.down(runner);
      await slots.down(runner);
      await slots.up(runner);
      await values.up(runner);
    } finally {
      await runner.release();
    }
    assert.deepEqual(await rollup(), before);
    assert.deepEqual(await t.db.query(`SELECT count(*)::int AS n FROM rollup_slot_days WHERE overflowed`), [{ n: 5 }]);
    await agrees();
  });
});
