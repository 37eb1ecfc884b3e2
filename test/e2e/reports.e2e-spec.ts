import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { insertConversion, insertVisit } from '../support/report.fixture';
import { fieldsOf } from '../support/error-fields';
import { roundDecimal } from '../../src/common/money';
import { metricColumns } from '../../src/modules/reports/report.metrics';
import { grainsInUse, parseReportRequest } from '../../src/modules/reports/report.request';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { ReportRepository } from '../../src/modules/reports/report.repository';
import { compileReport } from '../../src/modules/reports/report.query';
import { planBuckets } from '../../src/modules/reports/bucket.planner';
import { ExchangeRatesService } from '../../src/modules/exchange-rates/exchange-rates.service';

/**
 * Reports over fixture rows written straight into `visits` and `conversions`. Every test uses
 * its own campaign(s) and time window, so tests neither see nor depend on one another's rows.
 * Expected figures are worked out here, by hand, from the fixture.
 */
describe('reports (SPEC §8)', () => {
  let t: TestApp;
  let networkId: string;
  let offerId: string;
  let offer2Id: string;
  let sourceId: string;

  before(async () => {
    t = await startTestApp();
    sourceId = (await post('/traffic-sources', { name: 'Source A' })).id;
    networkId = (await post('/affiliate-networks', { name: 'Network A' })).id;
    offerId = (await post('/offers', { name: 'Offer A', affiliateNetworkId: networkId, url: 'https://offer.example/a' })).id;
    offer2Id = (await post('/offers', { name: 'Offer B', url: 'https://offer.example/b' })).id;
  });
  after(() => t.close());

  async function post(path: string, body: object) {
    const r = await t.http().post(`/api/v1${path}`).set(t.auth).send(body);
    assert.equal(r.status, 201, r.text);
    return r.body;
  }

  let n = 0;
  const campaign = async (name = `Campaign ${++n}`, cost = { model: 'cpc', amount: '0.05', currency: 'USD' }) =>
    (await post('/campaigns', { name, trafficSourceId: sourceId, cost, destinations: [{ offerId, weight: 1 }] })).id as string;

  async function report(query: string, headers: Record<string, string> = t.auth) {
    const r = await t.http().get(`/api/v1/reports?${query}`).set(headers);
    assert.equal(r.status, 200, r.text);
    return r.body as { rows: Record<string, any>[]; missingRates: string[] };
  }

  const near = (actual: unknown, expected: number, what: string) =>
    assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} should be ${expected}`);

  it('money rounded and ratios converted by the database are the numbers the exact decimals give', async () => {
    // Report money is `round(x, digits)::float8` and ratios `(a / b)::float8` (report.metrics.ts):
    // each must be the double nearest the exactly rounded decimal, and nearest the numeric
    // quotient, as parsing their text was before. Random amounts of up to 12 whole and 20
    // fraction digits, either sign; read through the report's own session settings.
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const digitsOf = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
    const amount = () => `${rnd() < 0.3 ? '-' : ''}${digitsOf(1 + Math.floor(rnd() * 12))}.${digitsOf(1 + Math.floor(rnd() * 20))}`;
    const cases = Array.from({ length: 3000 }, () => ({ a: amount(), b: amount(), digits: Math.floor(rnd() * 7) }));
    const rows: { rounded: number; ratio: number | null; quotient: string | null }[] = await t.db.transaction(async (m) => {
      await m.query(`SELECT set_config('extra_float_digits', '1', true)`);
      return m.query(
        `SELECT round(a::numeric, d)::float8 AS rounded, (a::numeric / NULLIF(b::numeric, 0))::float8 AS ratio, (a::numeric / NULLIF(b::numeric, 0))::text AS quotient
           FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS u (a, b, d, n) ORDER BY n`,
        [cases.map((c) => c.a), cases.map((c) => c.b), cases.map((c) => c.digits)],
      );
    });
    cases.forEach((c, i) => {
      assert.equal(rows[i].rounded, Number(roundDecimal(c.a, c.digits)), `round(${c.a}, ${c.digits})`);
      assert.equal(rows[i].ratio, rows[i].quotient === null ? null : Number(rows[i].quotient), `${c.a} / ${c.b}`);
    });
  });

  it('every ratio is the double nearest its exact quotient (cr 11/9, epc 10.40/9, landerCtr 1/210 and random totals)', async () => {
    // The metrics' SQL over totals as `t` has them. A numeric quotient of 16 significant digits
    // (what numeric division keeps for 11/9 or 10.40/9) is one unit in the last place off the
    // double nearest the exact figure for about 3 % of such pairs. The reference is the quotient
    // to 60 decimals, then the nearest double.
    let seed = 29;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const int = (max: number) => Math.floor(rnd() * max);
    const decimal = () => `${int(10 ** (1 + int(9)))}.${String(int(10 ** 6)).padStart(6, '0')}${int(10 ** 6)}`;
    const fixed = [
      { clicks: 9, conversions: 11, landerVisits: 210, landerClicks: 1, revenue: '10.40', cost: '0.45' },
      { clicks: 9, conversions: 3, landerVisits: 9, landerClicks: 7, revenue: '0.03', cost: '10.40' },
    ];
    const random = Array.from({ length: 2000 }, () => {
      const landerVisits = int(10_000);
      return { clicks: int(10_000), conversions: int(1_000), landerVisits, landerClicks: int(landerVisits + 1), revenue: decimal(), cost: decimal() };
    });
    const cases = [...fixed, ...random];
    const exact = (a: string, b: string) => `((${a})::numeric + 0.${'0'.repeat(60)}) / NULLIF((${b})::numeric, 0)`;
    const rows: Record<string, number | null>[] = await t.db.transaction(async (m) => {
      await m.query(`SELECT set_config('extra_float_digits', '1', true)`);
      return m.query(
        `SELECT ${metricColumns(true, 4).join(', ')},
                (${exact('t.revenue - t.cost', 't.cost')})::float8 AS "roiExact", (${exact('t.conversions', 't.clicks')})::float8 AS "crExact",
                (${exact('t.revenue', 't.clicks')})::float8 AS "epcExact", (${exact('t.cost', 't.conversions')})::float8 AS "cpaExact",
                (${exact('t.lander_clicks', 't.lander_visits')})::float8 AS "landerCtrExact"
           FROM (SELECT u.*, u.clicks AS unique_clicks, 0::bigint AS bot_clicks, 0::bigint AS approved, 0::bigint AS pending,
                        0::bigint AS declined, NULL::float8 AS ttc_median
                   FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::numeric[], $6::numeric[]) WITH ORDINALITY
                        AS u (clicks, conversions, lander_visits, lander_clicks, revenue, cost, n)) t
          ORDER BY t.n`,
        ['clicks', 'conversions', 'landerVisits', 'landerClicks', 'revenue', 'cost'].map((k) => cases.map((c) => String(c[k as keyof (typeof cases)[0]]))),
      );
    });
    assert.deepEqual([rows[0].cr, rows[0].epc, rows[0].landerCtr], [11 / 9, 52 / 45, 1 / 210], 'the fixed cases');
    assert.equal(rows[1].epc, 1 / 300);
    rows.forEach((r, i) => {
      for (const m of ['roi', 'cr', 'epc', 'cpa', 'landerCtr']) assert.equal(r[m], r[`${m}Exact`], `${m} of ${JSON.stringify(cases[i])}`);
    });
  });

  it('ratios are the double nearest the exact figure, however the window is split into rollup and raw rows', async () => {
    // roi = (3.21 - 0.45) / 0.45 = 6.1333...: numeric division kept 16 significant digits of it
    // (6.133333333333333 as a double, not 6.133333333333334) before the cost was given 20 decimals.
    const c = await campaign('Ratio campaign');
    const v = await insertVisit(t.db, { at: '2021-06-02T10:20:00.000Z', campaignId: c, offerId, cost: '0.45' });
    await insertConversion(t.db, { at: '2021-06-02T10:55:00.000Z', visit: v, status: 'approved', payout: '3.21' });
    for (const window of ['from=2021-06-02T10:00:00Z&to=2021-06-02T11:00:00Z', 'from=2021-06-02T10:17:30Z&to=2021-06-02T10:55:30Z']) {
      const [row] = (await report(`campaign=${c}&${window}`)).rows;
      assert.deepEqual([row.cost, row.roi, row.cpa, row.epc, row.cr], [0.45, 6.133333333333334, 0.45, 3.21, 1], window);
    }
  });

  it('answers the conformance figures: 6 clicks (1 bot) at 0.05, 10.00 approved, 2.50 pending, 4.00 declined', async () => {
    const c = await campaign('Report campaign');
    const other = await campaign();
    const at = (s: number) => `2021-05-01T10:00:${String(s).padStart(2, '0')}.000Z`;
    const clicks = [];
    for (let i = 0; i < 6; i++)
      clicks.push(await insertVisit(t.db, { at: at(i), campaignId: c, offerId, trafficSourceId: sourceId, cost: '0.05', bot: i === 5, unique: i < 4 }));
    await insertConversion(t.db, { at: at(30), visit: clicks[0], status: 'approved', payout: '10.00', affiliateNetworkId: networkId });
    await insertConversion(t.db, { at: at(31), visit: clicks[1], status: 'pending', payout: '2.50', affiliateNetworkId: networkId });
    await insertConversion(t.db, { at: at(32), visit: clicks[2], status: 'declined', payout: '4.00', affiliateNetworkId: networkId });
    const o = await insertVisit(t.db, { at: at(40), campaignId: other, cost: '0.05' });
    await insertConversion(t.db, { at: at(41), visit: o, status: 'approved', payout: '3.00' });

    const r = await report('groupBy=campaign&from=2021-05-01T10:00:00Z&to=2021-05-01T11:00:00Z');
    assert.deepEqual(r.missingRates, []);
    const row = r.rows.find((x) => x.campaign?.id === c);
    assert.ok(row, JSON.stringify(r));
    assert.deepEqual(row.campaign, { id: c, name: 'Report campaign' });
    assert.deepEqual(
      {
        clicks: row.clicks,
        uniqueClicks: row.uniqueClicks,
        botClicks: row.botClicks,
        conversions: row.conversions,
        approved: row.approved,
        pending: row.pending,
        declined: row.declined,
      },
      { clicks: 6, uniqueClicks: 4, botClicks: 1, conversions: 2, approved: 1, pending: 1, declined: 1 },
    );
    near(row.revenue, 12.5, 'revenue');
    near(row.cost, 0.3, 'cost');
    near(row.profit, 12.2, 'profit');
    near(row.roi, 12.2 / 0.3, 'roi');
    near(row.cr, 2 / 6, 'cr');
    near(row.epc, 12.5 / 6, 'epc');
    near(row.cpa, 0.15, 'cpa');
    const otherRow = r.rows.find((x) => x.campaign?.id === other);
    assert.equal(otherRow?.clicks, 1);
    near(otherRow?.revenue, 3, 'other revenue');
    assert.equal(r.rows.length, 2);

    // Filters narrow both sides; several levels at once.
    const f = await report(`groupBy=campaign,offer,affiliateNetwork,trafficSource&campaign=${c}&from=2021-05-01T10:00:00Z&to=2021-05-01T11:00:00Z`);
    assert.equal(f.rows.length, 1);
    assert.deepEqual(f.rows[0].offer, { id: offerId, name: 'Offer A' });
    assert.deepEqual(f.rows[0].affiliateNetwork, { id: networkId, name: 'Network A' });
    assert.deepEqual(f.rows[0].trafficSource, { id: sourceId, name: 'Source A' });
    assert.equal(f.rows[0].clicks, 6);
    assert.equal(f.rows[0].conversions, 2);

    // `to` is exclusive, `from` inclusive.
    const cut = await report(`campaign=${c}&from=${encodeURIComponent(at(1))}&to=${encodeURIComponent(at(31))}`);
    assert.equal(cut.rows.length, 1);
    assert.equal(cut.rows[0].clicks, 5);
    assert.equal(cut.rows[0].approved, 1);
    assert.equal(cut.rows[0].pending, 0);
  });

  it('buckets by time in any IANA zone: Kathmandu +05:45, Kolkata +05:30, weeks from Monday', async () => {
    const c = await campaign();
    await insertVisit(t.db, { at: '2024-03-10T18:20:00.000Z', campaignId: c }); // Sunday; Kathmandu Monday 00:05
    await insertVisit(t.db, { at: '2024-03-10T18:14:00.000Z', campaignId: c }); // Kathmandu Sunday 23:59
    await insertVisit(t.db, { at: '2024-03-31T20:00:00.000Z', campaignId: c }); // Kathmandu 1 April 01:45
    const range = `campaign=${c}&from=2024-03-01T00:00:00Z&to=2024-05-01T00:00:00Z`;
    const days = (r: { rows: Record<string, any>[] }) => r.rows.map((x) => [x.day, x.clicks]);

    assert.deepEqual(days(await report(`groupBy=day&${range}`)), [
      ['2024-03-10', 2],
      ['2024-03-31', 1],
    ]);
    assert.deepEqual(days(await report(`groupBy=day&tz=Asia/Kathmandu&${range}`)), [
      ['2024-03-10', 1],
      ['2024-03-11', 1],
      ['2024-04-01', 1],
    ]);
    assert.deepEqual(days(await report(`groupBy=day&tz=Asia/Kolkata&${range}`)), [
      ['2024-03-10', 2],
      ['2024-04-01', 1],
    ]);

    const hours = await report(`groupBy=hour&tz=Asia/Kathmandu&${range}`);
    assert.deepEqual(
      hours.rows.map((x) => [x.hour, x.clicks]),
      [
        ['2024-03-10T23:00', 1],
        ['2024-03-11T00:00', 1],
        ['2024-04-01T01:00', 1],
      ],
    );

    const weeksUtc = await report(`groupBy=week&${range}`);
    assert.deepEqual(
      weeksUtc.rows.map((x) => [x.week, x.clicks]),
      [
        ['2024-03-04', 2],
        ['2024-03-25', 1],
      ],
    );
    const weeksKtm = await report(`groupBy=week&tz=Asia/Kathmandu&${range}`);
    assert.deepEqual(
      weeksKtm.rows.map((x) => [x.week, x.clicks]),
      [
        ['2024-03-04', 1],
        ['2024-03-11', 1],
        ['2024-04-01', 1],
      ],
    );

    const months = await report(`groupBy=month&tz=Asia/Kathmandu&${range}`);
    assert.deepEqual(
      months.rows.map((x) => [x.month, x.clicks]),
      [
        ['2024-03', 2],
        ['2024-04', 1],
      ],
    );

    // Times without an offset are wall-clock times in tz: the Kathmandu day of 11 March.
    const local = await report(`campaign=${c}&tz=Asia/Kathmandu&from=2024-03-11&to=2024-03-12`);
    assert.equal(local.rows[0].clicks, 1);
    // A time dimension filters too.
    const filtered = await report(`campaign=${c}&tz=Asia/Kathmandu&day=2024-03-11&${range.replace(`campaign=${c}&`, '')}`);
    assert.equal(filtered.rows[0].clicks, 1);
  });

  it('converts payouts and costs into the base currency and names currencies without a rate', async () => {
    const c = await campaign('EUR campaign', { model: 'cpc', amount: '0.46', currency: 'EUR' });
    const put = await t
      .http()
      .put('/api/v1/exchange-rates')
      .set(t.auth)
      .send({ base: 'USD', rates: { EUR: '0.92' } });
    assert.equal(put.status, 200, put.text);
    const v1 = await insertVisit(t.db, { at: '2022-02-01T10:00:00.000Z', campaignId: c, cost: '0.46', costCurrency: 'EUR' });
    const v2 = await insertVisit(t.db, { at: '2022-02-01T10:01:00.000Z', campaignId: c, cost: '0.46', costCurrency: 'EUR' });
    const v3 = await insertVisit(t.db, { at: '2022-02-01T10:02:00.000Z', campaignId: c, cost: '0.46', costCurrency: 'EUR' });
    await insertConversion(t.db, { at: '2022-02-01T11:00:00.000Z', visit: v1, status: 'approved', payout: '9.20', currency: 'EUR' });
    await insertConversion(t.db, { at: '2022-02-01T11:01:00.000Z', visit: v2, status: 'approved', payout: '5.00', currency: 'USD' });
    await insertConversion(t.db, { at: '2022-02-01T11:02:00.000Z', visit: v3, status: 'approved', payout: '7.00', currency: 'GBP' });
    await insertConversion(t.db, { at: '2022-02-01T11:03:00.000Z', visit: v3, status: 'declined', payout: '8.00', currency: 'JPY' });

    const r = await report(`groupBy=campaign&campaign=${c}&from=2022-02-01T00:00:00Z&to=2022-02-02T00:00:00Z`);
    assert.deepEqual(r.missingRates, ['GBP'], 'GBP counted has no rate; JPY was declined, so nothing is missing for it');
    const row = r.rows[0];
    near(row.revenue, 15, 'revenue: 9.20 EUR = 10 USD, + 5 USD; GBP left out');
    near(row.cost, 1.5, 'cost: 3 x 0.46 EUR = 1.38 EUR = 1.5 USD');
    near(row.profit, 13.5, 'profit');
    assert.equal(row.conversions, 3);
  });

  it('rounds money to the base currency minor units plus two, half away from zero, never a float tail', async () => {
    const c = await campaign('Rounding campaign', { model: 'cpc', amount: '0.10', currency: 'EUR' });
    await t
      .http()
      .put('/api/v1/exchange-rates')
      .set(t.auth)
      .send({ base: 'USD', rates: { EUR: '0.93' } });
    const v = [];
    for (let i = 0; i < 3; i++) v.push(await insertVisit(t.db, { at: `2022-03-01T10:0${i}:00.000Z`, campaignId: c, cost: '0.10', costCurrency: 'EUR' }));
    await insertConversion(t.db, { at: '2022-03-01T11:00:00.000Z', visit: v[0], status: 'approved', payout: '10.00', currency: 'EUR' });
    const row = (await report(`groupBy=campaign&campaign=${c}&from=2022-03-01T00:00:00Z&to=2022-03-02T00:00:00Z`)).rows[0];
    // 10 / 0.93 = 10.752688172…; 0.30 / 0.93 = 0.322580645…; profit 10.430107526…
    assert.equal(row.revenue, 10.7527);
    assert.equal(row.cost, 0.3226);
    assert.equal(row.profit, 10.4301);
    near(row.epc, 10 / 0.93 / 3, 'epc is a ratio: full precision');
    await t
      .http()
      .put('/api/v1/exchange-rates')
      .set(t.auth)
      .send({ base: 'JPY', rates: { EUR: '0.0061' } });
    const yen = (await report(`groupBy=campaign&campaign=${c}&from=2022-03-01T00:00:00Z&to=2022-03-02T00:00:00Z`)).rows[0];
    // 10 / 0.0061 = 1639.344262…: JPY has no minor unit, so two decimals.
    assert.equal(yen.revenue, 1639.34);
    await t.http().put('/api/v1/exchange-rates').set(t.auth).send({ base: 'USD', rates: {} });
  });

  it('counts conversions at their visit time with conversionTime=visit', async () => {
    const c = await campaign();
    const v = await insertVisit(t.db, { at: '2023-06-01T23:30:00.000Z', campaignId: c });
    await insertConversion(t.db, { at: '2023-06-03T08:00:00.000Z', visit: v, status: 'approved', payout: '4' });
    const range = `groupBy=day&campaign=${c}&from=2023-06-01T00:00:00Z&to=2023-06-10T00:00:00Z`;
    const byConversion = await report(range);
    assert.deepEqual(
      byConversion.rows.map((x) => [x.day, x.clicks, x.conversions]),
      [
        ['2023-06-01', 1, 0],
        ['2023-06-03', 0, 1],
      ],
    );
    near(byConversion.rows[1].revenue, 4, 'revenue on the conversion day');
    assert.equal(byConversion.rows[1].cr, null, 'no clicks that day: cr divides by 0');
    const byVisit = await report(`${range}&conversionTime=visit`);
    assert.deepEqual(
      byVisit.rows.map((x) => [x.day, x.clicks, x.conversions]),
      [['2023-06-01', 1, 1]],
    );
    // The window applies to the visit time as well: a window holding only the conversion day is empty.
    const late = await report(`campaign=${c}&conversionTime=visit&from=2023-06-03T00:00:00Z&to=2023-06-04T00:00:00Z`);
    assert.equal(late.rows[0].conversions, 0);
  });

  it('leaves click metrics null when grouped by status or conversionType', async () => {
    const c = await campaign();
    const v = await insertVisit(t.db, { at: '2023-01-05T00:00:00.000Z', campaignId: c, cost: '0.05' });
    await insertConversion(t.db, { at: '2023-01-05T01:00:00.000Z', visit: v, status: 'approved', payout: '3' });
    await insertConversion(t.db, { at: '2023-01-05T01:01:00.000Z', visit: v, status: 'declined', payout: '2', conversionTypeId: '2' });
    const r = await report(`groupBy=status&campaign=${c}&from=2023-01-05T00:00:00Z&to=2023-01-06T00:00:00Z`);
    assert.deepEqual(
      r.rows.map((x) => x.status),
      ['approved', 'declined'],
    );
    for (const row of r.rows)
      for (const m of ['clicks', 'uniqueClicks', 'botClicks', 'cost', 'profit', 'roi', 'cr', 'epc', 'cpa']) assert.equal(row[m], null, m);
    assert.equal(r.rows[0].approved, 1);
    near(r.rows[0].revenue, 3, 'approved revenue');
    assert.equal(r.rows[1].declined, 1);
    assert.equal(r.rows[1].revenue, 0);

    const types = await report(`groupBy=campaign,conversionType&campaign=${c}&from=2023-01-05T00:00:00Z&to=2023-01-06T00:00:00Z`);
    assert.deepEqual(
      types.rows.map((x) => [x.conversionType.id, x.conversionType.name, x.clicks]),
      [
        ['2', 'Lead', null],
        ['1', 'Sale', null],
      ],
    );

    // As a filter, status narrows the conversions; the clicks stay (cr of approved conversions).
    const approved = await report(`campaign=${c}&status=approved&from=2023-01-05T00:00:00Z&to=2023-01-06T00:00:00Z`);
    assert.equal(approved.rows[0].clicks, 1);
    assert.equal(approved.rows[0].conversions, 1);
    assert.equal(approved.rows[0].declined, 0);
  });

  it('groups and filters by visit attributes and remapped slots, for clicks and their conversions', async () => {
    const c = await campaign();
    const base = { campaignId: c, offerId };
    const us = await insertVisit(t.db, {
      ...base,
      at: '2023-02-01T00:00:00.000Z',
      country: 'US',
      os: 'iOS',
      device: 'iPhone',
      mobile: true,
      browser: 'Mobile Safari',
      region: 'CA',
      city: 'San Jose',
      remaped: { source: 'blog' },
    });
    await insertVisit(t.db, { ...base, at: '2023-02-01T00:01:00.000Z', country: 'US', os: 'Windows', browser: 'Chrome', remaped: { source: 'mail' } });
    const de = await insertVisit(t.db, { ...base, at: '2023-02-01T00:02:00.000Z', country: 'DE', os: 'iOS', mobile: true, remaped: { source: '' } });
    await insertVisit(t.db, { ...base, at: '2023-02-01T00:03:00.000Z', country: 'DE', bot: true });
    await insertConversion(t.db, { at: '2023-02-01T05:00:00.000Z', visit: us, status: 'approved', payout: '1' });
    await insertConversion(t.db, { at: '2023-02-01T05:01:00.000Z', visit: de, status: 'approved', payout: '2' });
    const range = `campaign=${c}&from=2023-02-01T00:00:00Z&to=2023-02-02T00:00:00Z`;

    const geo = await report(`groupBy=country,os&${range}`);
    const key = (x: Record<string, any>) => `${x.country}/${x.os}`;
    assert.deepEqual(Object.fromEntries(geo.rows.map((x) => [key(x), [x.clicks, x.conversions]])), {
      'US/iOS': [1, 1],
      'US/Windows': [1, 0],
      'DE/iOS': [1, 1],
      'DE/null': [1, 0],
    });

    const slot = await report(`groupBy=source&${range}`);
    assert.deepEqual(Object.fromEntries(slot.rows.map((x) => [String(x.source), [x.clicks, x.conversions]])), {
      blog: [1, 1],
      mail: [1, 0],
      '': [1, 1],
      null: [1, 0],
    });

    const one = await report(`country=US&os=iOS&${range}`);
    assert.deepEqual([one.rows[0].clicks, one.rows[0].conversions], [1, 1]);
    const either = await report(`source=blog&source=mail&${range}`);
    assert.deepEqual([either.rows[0].clicks, either.rows[0].conversions], [2, 1]);
    const humans = await report(`groupBy=mobile&bot=false&${range}`);
    assert.deepEqual(
      humans.rows.map((x) => [x.mobile, x.clicks]),
      [
        [false, 1],
        [true, 2],
      ],
    );
    const places = await report(`groupBy=region,city,device,browser&country=US&${range}`);
    assert.equal(places.rows.length, 2);
    assert.ok(
      places.rows.some((x) => x.region === 'CA' && x.city === 'San Jose' && x.device === 'iPhone' && x.browser === 'Mobile Safari' && x.conversions === 1),
    );
  });

  it('includes what was just written (no lag), unattributed conversions, and a totals row without groupBy', async () => {
    const c = await campaign();
    const range = 'from=2020-07-01T00:00:00Z&to=2020-07-02T00:00:00Z';
    await insertConversion(t.db, { at: '2020-07-01T12:00:00.000Z', visit: null, campaignId: null, offerId: offer2Id, status: 'approved', payout: '6' });
    const before = await report(range);
    assert.equal(before.rows.length, 1);
    assert.equal(before.rows[0].clicks, 0);
    assert.equal(before.rows[0].conversions, 1);
    assert.equal(before.rows[0].cr, null, '1 conversion / 0 clicks');
    assert.equal(before.rows[0].roi, null, 'no cost');
    await insertVisit(t.db, { at: '2020-07-01T12:30:00.000Z', campaignId: c, cost: '0.5' });
    const afterOne = await report(`groupBy=campaign&${range}`);
    assert.deepEqual(
      afterOne.rows.map((x) => [x.campaign?.id ?? null, x.clicks, x.conversions]),
      [
        [c, 1, 0],
        [null, 0, 1],
      ],
    );
    const empty = await report('groupBy=campaign&from=1999-01-01T00:00:00Z&to=1999-01-02T00:00:00Z');
    assert.deepEqual(empty, { rows: [], missingRates: [] });
  });

  it('answers in JSON the database writes, the same answer as its rows mapped by the tracker, for every kind of dimension', async () => {
    const c = await campaign();
    const name = 'Q "quoted" \\ back\nline\ttab é 日本 😀 </script>';
    await t.db.query('UPDATE campaigns SET name = $2 WHERE id = $1', [c, name]);
    const at = (m: number) => new Date(Date.UTC(2018, 4, 1, 10, m)).toISOString();
    const odd = { sub: 'x"\\/\u0001\u001f\n' };
    const v = await insertVisit(t.db, {
      at: at(0),
      campaignId: c,
      offerId,
      cost: '0.10',
      costCurrency: 'XTS',
      remaped: odd,
      ruleIndex: 7,
      ruleName: 'US | desktop',
      datacenter: 'aws',
    });
    await insertVisit(t.db, { at: at(20), campaignId: c, offerId: null, cost: '0.3333', mobile: true, bot: true, ruleIndex: null });
    await insertVisit(t.db, { at: at(50), campaignId: c, offerId: offer2Id, cost: '1', remaped: { sub: '' }, ruleIndex: 12, ruleName: '' });
    await insertConversion(t.db, { at: at(55), visit: v, status: 'approved', payout: '1.005' });
    await insertConversion(t.db, { at: at(56), visit: v, status: 'declined', payout: '3' });
    const range = `campaign=${c}&from=${at(0)}&to=${at(120)}`;
    const reports = t.app.get(ReportsService);
    const queries = [
      `groupBy=campaign,sub,hour&${range}`,
      `groupBy=rule,datacenter,mobile,bot&${range}`,
      `groupBy=offer,day&tz=Asia/Kolkata&${range}`,
      `groupBy=status,conversionType,week&${range}`,
      `groupBy=country,month&${range}`,
      range,
      'groupBy=campaign&from=1999-01-01T00:00:00Z&to=1999-01-02T00:00:00Z',
    ];
    for (const q of queries) {
      const r = await t.http().get(`/api/v1/reports?${q}`).set(t.auth);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      const expected = await reports.report(parseReportRequest(Object.fromEntries(new URLSearchParams(q))));
      assert.deepStrictEqual(JSON.parse(r.text), expected, q);
      // The same keys in the same order as the rows' answer.
      assert.equal(r.text, JSON.stringify(JSON.parse(r.text)), `${q}: compact`);
      assert.deepEqual(
        r.body.rows.map((x: object) => Object.keys(x)),
        expected.rows.map((x) => Object.keys(x)),
        q,
      );
    }
    // The answer comes in chunks of rows, joined by the tracker: any chunk size gives the same text.
    const repo = t.app.get(ReportRepository);
    const rates = await t.app.get(ExchangeRatesService).get();
    for (const q of queries) {
      const req = parseReportRequest(Object.fromEntries(new URLSearchParams(q)));
      const plan = planBuckets(req.from!, req.to!, req.tz, grainsInUse(req));
      const json = async (chunkRows: number, maxRows?: number) => {
        const answer = await repo.runReportJson(compileReport(req, rates, plan, { answer: 'json', chunkRows, maxRows }));
        return { ...answer, rows: Buffer.concat(answer.rows) };
      };
      const whole = await json(1_000);
      for (const chunkRows of [1, 2]) assert.deepEqual(await json(chunkRows), whole, `${q}: chunks of ${chunkRows}`);
      if (whole.rowCount > 1) assert.deepEqual(await json(1, whole.rowCount - 1), { ...whole, rows: Buffer.alloc(0) }, `${q}: more rows than maxRows`);
    }
    const [first] = queries;
    const req = parseReportRequest(Object.fromEntries(new URLSearchParams(first)));
    assert.ok((await reports.report(req)).rows.length >= 3, 'the first query has rows for three chunks of one');
    const byCampaign = await report(`groupBy=campaign,sub&${range}`);
    assert.ok(byCampaign.rows.every((x) => x.campaign.name === name));
    assert.deepEqual(byCampaign.rows.map((x) => x.sub).sort(), ['', odd.sub, null].sort());
    assert.deepEqual(byCampaign.missingRates, ['XTS']);
    const rules = await report(`groupBy=rule&${range}`);
    assert.deepEqual(
      rules.rows.map((x) => x.rule),
      [{ index: 7, name: 'US | desktop' }, { index: 12, name: '' }, null],
    );
  });

  it('answers CSV with formula-safe, quoted cells', async () => {
    const c = await campaign('Shop, "Best" =SUM(A1)');
    await insertVisit(t.db, { at: '2019-03-01T00:00:00.000Z', campaignId: c, cost: '1', remaped: { sub: '=HYPERLINK("http://evil")' } });
    await insertVisit(t.db, { at: '2019-03-01T00:00:01.000Z', campaignId: c, remaped: { sub: '-2+3' } });
    await insertVisit(t.db, { at: '2019-03-01T00:00:02.000Z', campaignId: c, remaped: { sub: '@cmd\tx' } });
    const q = `groupBy=campaign,sub&campaign=${c}&from=2019-03-01T00:00:00Z&to=2019-03-02T00:00:00Z`;
    const r = await t.http().get(`/api/v1/reports?${q}&format=csv`).set(t.auth);
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/csv/);
    const lines = r.text.split('\r\n');
    assert.equal(
      lines[0],
      'campaignId,campaignName,sub,clicks,uniqueClicks,botClicks,conversions,approved,pending,declined,revenue,cost,profit,roi,cr,epc,cpa,landerClicks,landerCtr,timeToConvert',
    );
    assert.equal(lines.at(-1), '', 'ends with CRLF');
    const body = lines.slice(1, -1).sort();
    assert.deepEqual(
      body,
      [
        `${c},"Shop, ""Best"" =SUM(A1)",'-2+3,1,1,0,0,0,0,0,0,0,0,,0,0,,0,,`,
        `${c},"Shop, ""Best"" =SUM(A1)","'=HYPERLINK(""http://evil"")",1,1,0,0,0,0,0,0,1,-1,-1,0,0,,0,,`,
        `${c},"Shop, ""Best"" =SUM(A1)",'@cmd\tx,1,1,0,0,0,0,0,0,0,0,,0,0,,0,,`,
      ].sort(),
    );
    const viaAccept = await t
      .http()
      .get(`/api/v1/reports?${q}`)
      .set({ ...t.auth, accept: 'text/csv' });
    assert.match(viaAccept.headers['content-type'], /^text\/csv/);
    assert.equal(viaAccept.text, r.text);
  });

  it('refuses an unknown time zone or dimension with a 400 naming it, and lets read keys in', async () => {
    const bad = await t.http().get('/api/v1/reports?groupBy=day&tz=Mars/Olympus').set(t.auth);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
    assert.ok(fieldsOf(bad.body).tz, bad.text);
    const offset = await t.http().get('/api/v1/reports?tz=%2B05:45').set(t.auth);
    assert.equal(offset.status, 400);
    assert.ok(fieldsOf(offset.body).tz);
    const unknown = await t.http().get('/api/v1/reports?groupBy=campaign,Planet').set(t.auth);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, 'VALIDATION_FAILED');
    assert.match(unknown.body.message, /Planet/);
    const filter = await t.http().get('/api/v1/reports?Bad-Name=1&mobile=yes').set(t.auth);
    assert.equal(filter.status, 400);
    assert.ok(fieldsOf(filter.body)['Bad-Name'] && fieldsOf(filter.body).mobile, filter.text);
    assert.equal(fieldsOf((await t.http().get('/api/v1/reports?groupBy=day&from=yesterday').set(t.auth)).body).from?.length, 1);
    assert.equal((await t.http().get('/api/v1/reports')).status, 401);

    const key = await post('/api-keys', { name: 'reader', scope: 'read' });
    const r = await report('groupBy=campaign&tz=asia/kathmandu&from=2018-01-01T00:00:00Z&to=2018-01-02T00:00:00Z', { 'x-api-key': key.key });
    assert.deepEqual(r.rows, []);
  });
});

describe('reports: REPORT_MAX_ROWS', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ REPORT_MAX_ROWS: '2' });
  });
  after(() => t.close());

  it('answers up to REPORT_MAX_ROWS rows, and beyond it a 400 naming groupBy, in JSON and in CSV', async () => {
    const source = await t.http().post('/api/v1/traffic-sources').set(t.auth).send({ name: 'S' });
    const offer = await t.http().post('/api/v1/offers').set(t.auth).send({ name: 'O', url: 'https://offer.example/o' });
    const campaign = await t
      .http()
      .post('/api/v1/campaigns')
      .set(t.auth)
      .send({ name: 'C', trafficSourceId: source.body.id, destinations: [{ offerId: offer.body.id, weight: 1 }] });
    const c = campaign.body.id as string;
    for (const at of ['2017-05-01T10:00:00.000Z', '2017-05-01T11:00:00.000Z', '2017-05-01T12:00:00.000Z']) await insertVisit(t.db, { at, campaignId: c });
    const range = `campaign=${c}&from=2017-05-01T00:00:00Z&to=2017-05-02T00:00:00Z`;
    const get = (q: string) => t.http().get(`/api/v1/reports?${q}`).set(t.auth);

    const two = await get(`groupBy=hour&campaign=${c}&from=2017-05-01T00:00:00Z&to=2017-05-01T12:00:00Z`);
    assert.equal(two.status, 200, two.text);
    assert.deepEqual(
      two.body.rows.map((x: { hour: string; clicks: number }) => [x.hour, x.clicks]),
      [
        ['2017-05-01T10:00', 1],
        ['2017-05-01T11:00', 1],
      ],
    );
    for (const q of [`groupBy=hour&${range}`, `groupBy=hour&${range}&format=csv`]) {
      const three = await get(q);
      assert.equal(three.status, 400, `${q}: ${three.text}`);
      assert.equal(three.body.code, 'VALIDATION_FAILED');
      assert.match(fieldsOf(three.body).groupBy?.[0] ?? '', /REPORT_MAX_ROWS \(2\)/, three.text);
    }
    assert.match(fieldsOf((await get(`groupBy=hour&${range}`)).body).groupBy[0], /^the report has 3 rows, more than/);
    const total = await get(`groupBy=campaign&${range}`);
    assert.equal(total.status, 200);
    assert.equal(total.body.rows[0].clicks, 3);
  });
});
