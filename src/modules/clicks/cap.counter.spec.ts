import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CapCounter, capPeriod, periodStart } from './cap.counter';
import type { CapRepository } from './cap.repository';
import type { RouteCap, RouteDestination } from './route.snapshot';

/** A shared counter table in memory, standing in for `cap_counters` across processes. */
function sharedTable() {
  const rows = new Map<string, number>();
  let conversions = 0;
  const repo = {
    clicks: async (key: string, period: string) => rows.get(`${key}|${period}`) ?? 0,
    addClicks: async (key: string, period: string, n: number) => {
      const v = (rows.get(`${key}|${period}`) ?? 0) + n;
      rows.set(`${key}|${period}`, v);
      return v;
    },
    conversions: async () => conversions,
    pruneBefore: async () => {},
  } as unknown as CapRepository;
  return { repo, rows, setConversions: (n: number) => (conversions = n) };
}

const cap = (c: Partial<RouteCap> = {}): RouteCap => ({
  key: 'c1:main:0:o1',
  campaignId: 'c1',
  offerId: 'o1',
  clicks: 3,
  conversions: null,
  per: 'total',
  tz: 'UTC',
  ...c,
});
const dest = (c: RouteCap | null): RouteDestination => ({
  cap: c,
  offerId: c?.offerId ?? 'o2',
  offerLinkId: null,
  landingPageId: null,
  weight: 1,
  first: { parts: [''] },
});

describe('caps: periods', () => {
  it('counts per local day in the zone, across its midnight', () => {
    const berlin = { per: 'day' as const, tz: 'Europe/Berlin' };
    // 22:59 UTC on 31 March 2024 is 00:59 on 1 April in Berlin (summer time since that morning).
    assert.equal(capPeriod(berlin, Date.parse('2024-03-31T21:59:00Z')), '2024-03-31');
    assert.equal(capPeriod(berlin, Date.parse('2024-03-31T22:00:00Z')), '2024-04-01');
    assert.equal(periodStart(berlin, Date.parse('2024-03-31T23:30:00Z'))!.toISOString(), '2024-03-31T22:00:00.000Z');
    const kathmandu = { per: 'day' as const, tz: 'Asia/Kathmandu' };
    assert.equal(capPeriod(kathmandu, Date.parse('2024-03-10T18:14:00Z')), '2024-03-10');
    assert.equal(capPeriod(kathmandu, Date.parse('2024-03-10T18:15:00Z')), '2024-03-11');
    assert.equal(capPeriod({ per: 'total', tz: 'UTC' }, 0), 'total');
    assert.equal(periodStart({ per: 'total', tz: 'UTC' }, 0), null);
  });
});

describe('caps: the counter', () => {
  it('never lets more clicks through than the cap, and skips only the capped destination', async () => {
    const { repo } = sharedTable();
    const caps = new CapCounter(repo);
    const capped = dest(cap());
    const free = dest(null);
    const now = Date.now();
    await caps.prepare([capped, free], now);
    let taken = 0;
    for (let i = 0; i < 10; i++) {
      const open = caps.open([capped], now);
      if (open.length) {
        caps.take(open[0], now);
        taken++;
      }
    }
    assert.equal(taken, 3);
    assert.deepEqual(caps.open([capped, free], now), [free]);
    await caps.beforeApplicationShutdown();
  });

  it('shares counts between processes through the table at each sync', async () => {
    const { repo, rows, setConversions } = sharedTable();
    const a = new CapCounter(repo);
    const b = new CapCounter(repo);
    const d = dest(cap({ clicks: 5 }));
    const now = Date.now();
    await a.prepare([d], now);
    await b.prepare([d], now);
    for (let i = 0; i < 3; i++) a.take(d, now);
    await a.sync();
    assert.equal(rows.get('c1:main:0:o1|total'), 3);
    await b.sync();
    b.take(d, now);
    b.take(d, now);
    assert.deepEqual(b.open([d], now), [], 'b sees a’s 3 and its own 2: the cap of 5 is reached');
    await b.sync();
    await a.sync();
    assert.deepEqual(a.open([d], now), []);
    // A conversion cap is read from the conversions at each sync.
    const c = dest(cap({ key: 'k2', clicks: null, conversions: 2 }));
    await a.prepare([c], now);
    assert.deepEqual(a.open([c], now), [c]);
    setConversions(2);
    await a.sync();
    assert.deepEqual(a.open([c], now), []);
    await a.beforeApplicationShutdown();
    await b.beforeApplicationShutdown();
  });
});
