import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWhen, type RuleWhen } from '../campaigns/campaign-rules';
import type { ClientInfo } from '../enrichment/enrichment.service';
import { ClickFacts, compileWhen, firstMatch, needsUnique } from './rule.matcher';

function client(over: Partial<Omit<ClientInfo, 'geo'>> & { geo?: Partial<ClientInfo['geo']> } = {}): ClientInfo {
  const { geo, ...rest } = over;
  return {
    ip: '8.8.8.8',
    forwardedFor: null,
    ua: 'UA',
    agent: { family: 'Chrome', major: '120', minor: null, patch: null },
    os: { family: 'Windows', major: '10', minor: null, patch: null, patchMinor: null },
    device: { family: 'Other', brand: null, model: null },
    mobile: false,
    bot: false,
    botName: null,
    deviceType: 'desktop',
    datacenter: null,
    lang: 'en-US,en;q=0.9',
    protocol: 'http',
    ...rest,
    geo: { country: 'US', geoname_id: 6252001, region: 'CA', city: 'San Francisco', tz: 'America/Los_Angeles', ...geo },
  };
}

/** Validates like the API, then compiles: the stored form is what the click path sees. */
function when(raw: unknown, slots: { param: string; as: string }[] = []) {
  const problems: Record<string, string[]> = {};
  const parsed = parseWhen(raw, 'when', problems);
  assert.deepEqual(problems, {}, 'valid');
  return compileWhen(parsed, { slots });
}

const T = Date.UTC(2026, 11, 2, 10, 30); // Wednesday 2026-12-02 10:30 UTC
const facts = (c: ClientInfo = client(), query: Record<string, unknown> = {}, now = T, unique: boolean | null = null) => new ClickFacts(c, query, now, unique);

describe('rules: every criterion', () => {
  it('country, case ignored; unknown geo matches no list', () => {
    const p = when({ country: ['us', 'CA'] });
    assert.equal(p(facts()), true);
    assert.equal(p(facts(client({ geo: { country: 'GB' } }))), false);
    assert.equal(p(facts(client({ geo: { country: null } }))), false);
  });

  it('region and city, case ignored', () => {
    assert.equal(when({ region: ['ca'] })(facts()), true);
    assert.equal(when({ region: ['NY'] })(facts()), false);
    assert.equal(when({ city: ['san francisco'] })(facts()), true);
    assert.equal(when({ city: ['Oakland'] })(facts()), false);
    assert.equal(when({ city: ['Oakland'] })(facts(client({ geo: { city: null } }))), false);
  });

  it('language: primary subtag of the first Accept-Language entry', () => {
    assert.equal(when({ language: ['EN'] })(facts()), true);
    assert.equal(when({ language: ['de'] })(facts()), false);
    assert.equal(when({ language: ['de'] })(facts(client({ lang: 'de-AT;q=1, en' }))), true);
    assert.equal(when({ language: ['en'] })(facts(client({ lang: null }))), false);
  });

  it('deviceType, os and browser families, case ignored', () => {
    assert.equal(when({ deviceType: ['mobile', 'tablet'] })(facts()), false);
    assert.equal(when({ deviceType: ['mobile', 'tablet'] })(facts(client({ deviceType: 'tablet' }))), true);
    assert.equal(when({ os: ['windows'] })(facts()), true);
    assert.equal(when({ os: ['iOS'] })(facts()), false);
    assert.equal(when({ browser: ['CHROME', 'firefox'] })(facts()), true);
    assert.equal(when({ browser: ['Safari'] })(facts()), false);
  });

  it('ip: IPv4 and IPv6 CIDRs and bare addresses', () => {
    const p = when({ ip: ['203.0.113.0/24', '2001:db8::/32', '8.8.4.4'] });
    assert.equal(p(facts(client({ ip: '203.0.113.77' }))), true);
    assert.equal(p(facts(client({ ip: '203.0.114.1' }))), false);
    assert.equal(p(facts(client({ ip: '8.8.4.4' }))), true);
    assert.equal(p(facts(client({ ip: '2001:db8:1::5' }))), true);
    assert.equal(p(facts(client({ ip: '2001:db9::5' }))), false);
    assert.equal(p(facts(client({ ip: 'not an ip' }))), false);
  });

  it('bot, datacenter and unique booleans', () => {
    assert.equal(when({ bot: true })(facts(client({ bot: true }))), true);
    assert.equal(when({ bot: true })(facts()), false);
    assert.equal(when({ bot: false })(facts()), true);
    assert.equal(when({ datacenter: true })(facts(client({ datacenter: 'AWS' }))), true);
    assert.equal(when({ datacenter: true })(facts()), false);
    assert.equal(when({ datacenter: false })(facts()), true);
    assert.equal(when({ unique: true })(facts(client(), {}, T, true)), true);
    assert.equal(when({ unique: true })(facts(client(), {}, T, false)), false);
    assert.equal(when({ unique: false })(facts(client(), {}, T, false)), true);
  });

  it('param: a query parameter or a remapped slot, any value, case ignored; absent matches nothing', () => {
    const slots = [{ param: 'utm_source', as: 'source' }];
    assert.equal(when({ param: { source: ['Blog'] } }, slots)(facts(client(), { utm_source: 'blog' })), true);
    assert.equal(when({ param: { utm_source: ['blog'] } }, slots)(facts(client(), { utm_source: 'BLOG' })), true);
    assert.equal(when({ param: { source: ['blog'] } }, slots)(facts(client(), { utm_source: 'news' })), false);
    assert.equal(when({ param: { zone: ['1', '2'] } })(facts(client(), { zone: ['9', '2'] })), true);
    assert.equal(when({ param: { zone: ['1'] } })(facts(client(), {})), false);
    assert.equal(when({ param: { zone: [''] } })(facts(client(), { zone: '' })), true);
    // Every listed parameter must match.
    assert.equal(when({ param: { a: ['1'], b: ['2'] } })(facts(client(), { a: '1', b: '3' })), false);
  });

  it('weekday and hour in UTC by default', () => {
    assert.equal(when({ weekday: [3] })(facts()), true); // Wednesday
    assert.equal(when({ weekday: [1, 2, 4, 5, 6, 7] })(facts()), false);
    assert.equal(when({ hour: { from: 9, to: 17 } })(facts()), true);
    assert.equal(when({ hour: { from: 11, to: 17 } })(facts()), false);
    assert.equal(when({ hour: { from: 9, to: 10 } })(facts()), false, 'to is exclusive');
    assert.equal(when({ hour: { from: 10, to: 11 } })(facts()), true, 'from is inclusive');
  });

  it('hours wrap past midnight when from > to', () => {
    const night = when({ hour: { from: 22, to: 6 } });
    for (const [h, want] of [
      [21, false],
      [22, true],
      [23, true],
      [0, true],
      [5, true],
      [6, false],
      [12, false],
    ] as const)
      assert.equal(night(facts(client(), {}, Date.UTC(2026, 11, 2, h, 59))), want, `hour ${h}`);
    const late = when({ hour: { from: 22, to: 24 } });
    assert.equal(late(facts(client(), {}, Date.UTC(2026, 11, 2, 23))), true);
    assert.equal(late(facts(client(), {}, Date.UTC(2026, 11, 2, 0))), false);
  });

  it('weekday and hour in a zone, across the date line and DST', () => {
    // 10:30 UTC Wednesday is 23:30 Wednesday in Pacific/Auckland (UTC+13 in December) ...
    assert.equal(when({ weekday: [3], hour: { from: 23, to: 0 }, tz: 'Pacific/Auckland' })(facts()), true);
    // ... and 00:30 Thursday at 11:30 UTC.
    const later = facts(client(), {}, T + 3_600_000);
    assert.equal(when({ weekday: [4], hour: { from: 0, to: 1 }, tz: 'Pacific/Auckland' })(later), true);
    assert.equal(when({ weekday: [3], tz: 'Pacific/Auckland' })(later), false);
    // Kathmandu is +05:45: 10:30 UTC is 16:15.
    assert.equal(when({ hour: { from: 16, to: 17 }, tz: 'Asia/Kathmandu' })(facts()), true);
    assert.equal(when({ hour: { from: 10, to: 11 }, tz: 'Asia/Kathmandu' })(facts()), false);
    // Berlin in summer is +2: 2026-07-01 07:30 UTC is 09:30.
    assert.equal(when({ hour: { from: 9, to: 10 }, tz: 'Europe/Berlin' })(facts(client(), {}, Date.UTC(2026, 6, 1, 7, 30))), true);
    // The same zone, asked for an instant before and after the DST change (2026-03-29 01:00 UTC).
    const berlin = when({ hour: { from: 3, to: 4 }, tz: 'Europe/Berlin' });
    assert.equal(berlin(facts(client(), {}, Date.UTC(2026, 2, 29, 0, 30))), false); // 01:30 CET
    assert.equal(berlin(facts(client(), {}, Date.UTC(2026, 2, 29, 1, 30))), true); // 03:30 CEST
  });

  it('not: none of its criteria may match; it takes its parent tz unless it has one', () => {
    const p = when({ country: ['US', 'GB'], not: { deviceType: ['mobile'], bot: true } });
    assert.equal(p(facts()), true);
    assert.equal(p(facts(client({ deviceType: 'mobile' }))), false);
    assert.equal(p(facts(client({ bot: true }))), false);
    assert.equal(p(facts(client({ geo: { country: 'FR' } }))), false);
    // No geo: the list in not matches nothing, so not holds.
    assert.equal(when({ not: { country: ['US'] } })(facts(client({ geo: { country: null } }))), true);
    // 10:30 UTC is 23:30 in Auckland: not within 23..24 there.
    assert.equal(when({ tz: 'Pacific/Auckland', not: { hour: { from: 23, to: 24 } } })(facts()), false);
    assert.equal(when({ tz: 'Pacific/Auckland', not: { hour: { from: 23, to: 24 }, tz: 'UTC' } })(facts()), true);
  });

  it('an empty when matches every click; the first matching rule wins', () => {
    assert.equal(when({})(facts()), true);
    const rules = [
      { name: 'GB', match: when({ country: ['GB'] }) },
      { name: 'US desktop', match: when({ country: ['US'], deviceType: ['desktop'] }) },
      { name: 'any', match: when({}) },
    ];
    assert.equal(firstMatch(rules, facts())?.name, 'US desktop');
    assert.equal(firstMatch(rules, facts(client({ geo: { country: 'GB' } })))?.name, 'GB');
    assert.equal(firstMatch(rules, facts(client({ geo: { country: 'FR' } })))?.name, 'any');
    assert.equal(firstMatch(rules.slice(0, 2), facts(client({ geo: { country: 'FR' } }))), null);
  });

  it('needsUnique sees unique at any depth', () => {
    assert.equal(needsUnique({ country: ['US'] }), false);
    assert.equal(needsUnique({ unique: true }), true);
    assert.equal(needsUnique({ not: { unique: false } } as RuleWhen), true);
  });
});

describe('rules: validation (parseWhen)', () => {
  const problems = (raw: unknown) => {
    const p: Record<string, string[]> = {};
    parseWhen(raw, 'rules[0].when', p);
    return p;
  };

  it('names an unknown criterion, also inside not', () => {
    assert.deepEqual(Object.keys(problems({ contry: ['US'] })), ['rules[0].when.contry']);
    assert.match(problems({ contry: ['US'] })['rules[0].when.contry'][0], /unknown criterion 'contry'/);
    assert.deepEqual(Object.keys(problems({ not: { devicetype: ['mobile'] } })), ['rules[0].when.not.devicetype']);
  });

  it('refuses bad values, naming each field', () => {
    const p = problems({
      country: ['USA'],
      deviceType: ['phone'],
      ip: ['10.0.0.0/33'],
      bot: 'yes',
      weekday: [0],
      hour: { from: 9, to: 9 },
      tz: 'Mars/Base',
      language: ['en-US'],
      param: { zone: [] },
      region: [],
      not: 'x',
    });
    assert.deepEqual(Object.keys(p).sort(), [
      'rules[0].when.bot',
      'rules[0].when.country',
      'rules[0].when.deviceType',
      'rules[0].when.hour',
      'rules[0].when.ip',
      'rules[0].when.language',
      'rules[0].when.not',
      'rules[0].when.param.zone',
      'rules[0].when.region',
      'rules[0].when.tz',
      'rules[0].when.weekday',
    ]);
    assert.deepEqual(Object.keys(problems({ hour: { from: 9, to: 17, extra: 1 } })), ['rules[0].when.hour']);
    assert.deepEqual(Object.keys(problems([])), ['rules[0].when']);
  });

  it('normalizes: countries upper, texts lower, duplicates once', () => {
    const p: Record<string, string[]> = {};
    const w = parseWhen({ country: ['us', 'US'], os: ['iOS'], deviceType: ['Mobile'], weekday: [5, 1, 5], not: { city: ['Berlin'] } }, 'w', p);
    assert.deepEqual(p, {});
    assert.deepEqual(w, { country: ['US'], os: ['ios'], deviceType: ['mobile'], weekday: [1, 5], not: { city: ['berlin'] } });
  });
});
