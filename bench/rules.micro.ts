// Micro-benchmark of campaign rules on the click path (not a test: it prints).
//   npm run bench:rules            (builds first)
// The worst case the issue names: 10 rules of 5 criteria each, where every rule's first four
// criteria match and its fifth does not, so a click evaluates all 50 before it falls through to
// the campaign's destinations. Compared with the same click through a campaign without rules
// (building the click's facts only), in the same run; plus the one-off cost of compiling them.
import { performance } from 'node:perf_hooks';
import { parseWhen } from '../src/modules/campaigns/campaign-rules';
import type { ClientInfo } from '../src/modules/enrichment/enrichment.service';
import { ClickFacts, compileWhen, firstMatch } from '../src/modules/clicks/rule.matcher';

const CLICKS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const ROUNDS = 5;

const raw = Array.from({ length: 10 }, (_, i) => ({
  country: ['US', 'CA', 'GB', 'DE', ['FR', 'IT', 'ES', 'NL', 'BE', 'AT', 'CH', 'SE', 'NO', 'DK'][i]],
  deviceType: ['mobile', 'tablet'],
  os: ['iOS', 'Android'],
  language: ['en', 'de', 'fr'],
  param: { utm_source: [`never-${i}`] },
}));

function compile() {
  const problems = {};
  const rules = raw.map((when, index) => ({ index, match: compileWhen(parseWhen(when, `rules[${index}].when`, problems), { slots: [] }) }));
  if (Object.keys(problems).length) throw new Error(JSON.stringify(problems));
  return rules;
}

const client = {
  ip: '203.0.113.7',
  forwardedFor: null,
  ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
  agent: { family: 'Mobile Safari', major: '17', minor: '0', patch: null },
  os: { family: 'iOS', major: '17', minor: '0', patch: null, patchMinor: null },
  device: { family: 'iPhone', brand: 'Apple', model: 'iPhone' },
  mobile: true,
  bot: false,
  botName: null,
  deviceType: 'mobile',
  datacenter: null,
  lang: 'en-US,en;q=0.9',
  protocol: 'https',
  geo: { country: 'US', geoname_id: 6252001, region: 'CA', city: 'San Francisco', tz: 'America/Los_Angeles' },
} as unknown as ClientInfo;
const query = { utm_source: 'blog' };

const t0 = performance.now();
let rules = compile();
for (let i = 0; i < 200; i++) rules = compile();
const compileUs = ((performance.now() - t0) * 1000) / 201;

function run(withRules: boolean): number {
  let matched = 0;
  const t = performance.now();
  for (let i = 0; i < CLICKS; i++) {
    const facts = new ClickFacts(client, query, 1_700_000_000_000 + i, null);
    if (withRules && firstMatch(rules, facts) !== null) matched++;
  }
  if (matched) throw new Error('a rule matched: the worst case is that none does');
  return ((performance.now() - t) * 1e6) / CLICKS;
}

run(true);
run(false);
const withRules: number[] = [];
const without: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  without.push(run(false));
  withRules.push(run(true));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`rules: 10 rules x 5 criteria, none matching (all 50 evaluated), ${CLICKS} clicks x ${ROUNDS} rounds, median`);
console.log(`  without rules      ${median(without).toFixed(0).padStart(6)} ns per click`);
console.log(`  with 10 rules      ${median(withRules).toFixed(0).padStart(6)} ns per click`);
console.log(`  cost of the rules  ${(median(withRules) - median(without)).toFixed(0).padStart(6)} ns per click`);
console.log(`  compiling them     ${compileUs.toFixed(0).padStart(6)} µs once per route snapshot`);
