// Micro-benchmark of DatacenterLookup.provider() on the bundled table (not a test: it prints).
//   npm run bench:datacenter            (builds first)
// Cost per call for IPv4 and IPv6 addresses, half inside a published range and half outside, as
// strings the way the click path has them; plus the one-off cost of building the table.
import { performance } from 'node:perf_hooks';
import { DatacenterLookup } from '../src/modules/enrichment/datacenter.lookup';
import { formatIp, parseCidr } from '../src/modules/enrichment/ip-range';
import bundled from '../src/modules/enrichment/data/datacenter-ranges.json';
import type { DatacenterRangesFile } from '../src/modules/enrichment/datacenter-ranges.builder';

const CALLS = Number(process.env.BENCH_CALLS ?? 2_000_000);
const data = bundled as DatacenterRangesFile;

function randomWithin(cidr: string): string {
  const r = parseCidr(cidr)!;
  const span = r.end - r.start + 1n;
  const offset = BigInt(Math.floor(Math.random() * Number(span > 2n ** 52n ? 2n ** 52n : span)));
  return formatIp(r.start + offset, r.v6);
}

function sample(v6: boolean, n: number): string[] {
  const blocks = data.providers.flatMap((p) => (v6 ? p.ipv6 : p.ipv4));
  return Array.from({ length: n }, (_, i) => {
    if (i % 2 === 0) return randomWithin(blocks[Math.floor(Math.random() * blocks.length)]);
    if (!v6) return [0, 0, 0, 0].map(() => Math.floor(Math.random() * 256)).join('.');
    return formatIp((0x2a00n << 112n) + BigInt(Math.floor(Math.random() * 2 ** 48)) * (1n << 64n), true);
  });
}

function time(label: string, lookup: DatacenterLookup, ips: string[]): void {
  let found = 0;
  for (let i = 0; i < 200_000; i++) if (lookup.provider(ips[i % ips.length])) found++;
  found = 0;
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) if (lookup.provider(ips[i % ips.length]) !== null) found++;
  const ns = ((performance.now() - t0) * 1e6) / CALLS;
  console.log(`${label.padEnd(6)} ${ns.toFixed(0).padStart(5)} ns per call  (${CALLS} calls, ${((100 * found) / CALLS).toFixed(0)}% in a range)`);
}

const t0 = performance.now();
const lookup = new DatacenterLookup(data);
const buildMs = performance.now() - t0;
console.log(`table: ${lookup.size.ipv4} IPv4 and ${lookup.size.ipv6} IPv6 ranges, built in ${buildMs.toFixed(0)} ms (node ${process.version})`);
time('IPv4', lookup, sample(false, 10_000));
time('IPv6', lookup, sample(true, 10_000));
