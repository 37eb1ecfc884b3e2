import { SeededRandom } from './demo.random';
import { AD_SOURCES, ADS, BROWSERS, MARKETS } from './demo.world';

export type Format = 'postback' | 'postback-json' | 'pixel' | 'trackdesk' | 'tradedoubler' | 'tradetracker';
export type Status = 'approved' | 'pending' | 'declined';
export type Outcome = 'accepted' | 'updated' | 'duplicate';

export interface PlannedClick {
  index: number;
  country: string;
  ip: string;
  ua: string;
  bot: boolean;
  lang: string;
  source: string;
  referer: string;
  ad: string;
  costCents: number;
  externalId: string;
}

export interface PlannedConversion {
  id: number;
  clickIndex: number;
  format: Format;
  kind: 'sale' | 'lead';
  amountCents: number;
  /** null: the pixel sends none, so the tracker dedupes it per click and type. */
  txid: string | null;
  finalStatus: Status;
}

export interface PlannedMessage {
  conversion: PlannedConversion;
  status: Status;
  sequence: number;
  /** What the tracker must answer; null for the pixel, which always answers a GIF. */
  expect: Outcome | null;
  why: 'new' | 'repeat' | 'status change' | 'late message' | 'chargeback';
}

export interface DemoPlan {
  clicks: PlannedClick[];
  conversions: PlannedConversion[];
  /** The first message of every conversion. */
  first: PlannedMessage[];
  /** Sent after all of `first`: a repeat, approvals, an out-of-order message, a chargeback. */
  lifecycle: PlannedMessage[];
}

/** One format after another, so every network format gets its share. */
const FORMATS: readonly Format[] = ['postback', 'pixel', 'trackdesk', 'tradedoubler', 'tradetracker', 'postback-json'];

function planClicks(rand: SeededRandom, count: number): PlannedClick[] {
  const clicks: PlannedClick[] = [];
  for (let index = 0; index < count; index++) {
    const market = rand.weighted(MARKETS);
    const browser = rand.weighted(BROWSERS);
    const source = rand.weighted(AD_SOURCES);
    const prefix = market.prefixes[rand.int(0, market.prefixes.length - 1)];
    clicks.push({
      index,
      country: market.country,
      ip: `${prefix}.${rand.int(1, 254)}`,
      ua: browser.ua,
      bot: browser.bot,
      lang: market.lang,
      source: source.name,
      referer: source.referer,
      ad: ADS[rand.int(0, ADS.length - 1)],
      costCents: Math.round(source.cpc * market.cpcFactor * 100),
      externalId: `${source.idPrefix}-${(100000 + index).toString(36)}`,
    });
  }
  return clicks;
}

function planConversions(rand: SeededRandom, clicks: PlannedClick[]): PlannedConversion[] {
  const rates = new Map(MARKETS.map((m) => [m.country, m.conversionRate]));
  const conversions: PlannedConversion[] = [];
  for (const click of clicks) {
    if (click.bot || rand.next() >= rates.get(click.country)!) continue;
    const id = conversions.length;
    const format = FORMATS[id % FORMATS.length];
    const kind = rand.next() < 0.2 ? 'lead' : 'sale';
    conversions.push({
      id,
      clickIndex: click.index,
      format,
      kind,
      amountCents: kind === 'lead' ? rand.int(200, 500) : rand.int(800, 3200),
      txid: format === 'pixel' ? null : `ORD-${1001 + id}`,
      // Tradedoubler reports sales as pending first; the lifecycle approves all but the last.
      finalStatus: format === 'tradedoubler' ? 'pending' : 'approved',
    });
  }
  return conversions;
}

function planLifecycle(conversions: PlannedConversion[]): PlannedMessage[] {
  const of = (format: Format) => conversions.filter((c) => c.format === format);
  const lifecycle: PlannedMessage[] = [];
  const [repeated] = of('postback');
  if (repeated) lifecycle.push({ conversion: repeated, status: 'approved', sequence: 1, expect: 'duplicate', why: 'repeat' });
  const tradedoubler = of('tradedoubler');
  for (const c of tradedoubler.slice(0, -1)) {
    c.finalStatus = 'approved';
    lifecycle.push({ conversion: c, status: 'approved', sequence: 2, expect: 'updated', why: 'status change' });
  }
  if (tradedoubler.length > 1) {
    lifecycle.push({ conversion: tradedoubler[0], status: 'pending', sequence: 1, expect: 'duplicate', why: 'late message' });
  }
  const [chargedBack] = of('trackdesk');
  if (chargedBack) {
    chargedBack.finalStatus = 'declined';
    lifecycle.push({ conversion: chargedBack, status: 'declined', sequence: 2, expect: 'updated', why: 'chargeback' });
  }
  return lifecycle;
}

/** Everything the demo will send, decided up front from the seed. */
export function planDemo(seed: number, clickCount: number): DemoPlan {
  const rand = new SeededRandom(seed);
  const clicks = planClicks(rand, clickCount);
  const conversions = planConversions(rand, clicks);
  const first = conversions.map((conversion): PlannedMessage => ({
    conversion,
    status: conversion.format === 'tradedoubler' ? 'pending' : 'approved',
    sequence: 1,
    expect: conversion.format === 'pixel' ? null : 'accepted',
    why: 'new',
  }));
  return { clicks, conversions, first, lifecycle: planLifecycle(conversions) };
}

export interface ExpectedRow {
  country: string;
  clicks: number;
  conversions: number;
  revenueCents: number;
  costCents: number;
}

/** What the report must say per country once everything in the plan was sent. */
export function expectedByCountry(plan: DemoPlan): Map<string, ExpectedRow> {
  const rows = new Map<string, ExpectedRow>();
  const row = (country: string) => {
    let r = rows.get(country);
    if (!r) rows.set(country, (r = { country, clicks: 0, conversions: 0, revenueCents: 0, costCents: 0 }));
    return r;
  };
  for (const c of plan.clicks) {
    const r = row(c.country);
    r.clicks++;
    r.costCents += c.costCents;
  }
  for (const c of plan.conversions) {
    if (c.finalStatus === 'declined') continue;
    const r = row(plan.clicks[c.clickIndex].country);
    r.conversions++;
    r.revenueCents += c.amountCents;
  }
  return rows;
}
