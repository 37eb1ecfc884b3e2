import bundled from './data/datacenter-ranges.json';
import { rangesOf, type DatacenterRangesFile } from './datacenter-ranges.builder';
import { parseIpv4, parseIpv6 } from './ip-address';

/**
 * Which cloud provider's published range an address is in (SPEC §3 rule `datacenter`).
 *
 * API for the click path: build once (`DatacenterLookup.bundled()` shares one instance built from
 * `data/datacenter-ranges.json`), then `provider(ip)` answers the provider's name (`"AWS"`,
 * `"Google Cloud"`, `"Microsoft Azure"`, `"Oracle Cloud"`, `"DigitalOcean"`, `"Hetzner"`, `"OVH"`)
 * or null, for an IPv4 or IPv6 address as text (`::ffff:a.b.c.d` counts as IPv4; a zone is
 * ignored; anything that is not an address is null). Pure and synchronous; no allocation per
 * call. Disjoint ranges sorted by start in typed arrays, found by binary search (about
 * log2(35 000) = 15 steps); see bench/datacenter-lookup.micro.ts for its cost.
 */
export class DatacenterLookup {
  private static shared: DatacenterLookup | null = null;

  private readonly names: string[];
  private readonly v4Start: Uint32Array;
  private readonly v4End: Uint32Array;
  private readonly v4Provider: Uint8Array;
  /** Four words per range, most significant first. */
  private readonly v6Start: Uint32Array;
  private readonly v6End: Uint32Array;
  private readonly v6Provider: Uint8Array;
  private readonly scratch = new Uint32Array(4);

  constructor(file: DatacenterRangesFile) {
    this.names = file.providers.map((p) => p.name);
    if (this.names.length > 255) throw new Error('datacenter ranges: at most 255 providers');
    const ranges = rangesOf(file).sort((a, b) => (a.range.start < b.range.start ? -1 : a.range.start > b.range.start ? 1 : 0));
    const v4 = ranges.filter((r) => !r.range.v6);
    const v6 = ranges.filter((r) => r.range.v6);
    this.v4Start = Uint32Array.from(v4, (r) => Number(r.range.start));
    this.v4End = Uint32Array.from(v4, (r) => Number(r.range.end));
    this.v4Provider = Uint8Array.from(v4, (r) => r.provider);
    this.v6Start = new Uint32Array(v6.length * 4);
    this.v6End = new Uint32Array(v6.length * 4);
    v6.forEach((r, i) => {
      writeWords(r.range.start, this.v6Start, i * 4);
      writeWords(r.range.end, this.v6End, i * 4);
    });
    this.v6Provider = Uint8Array.from(v6, (r) => r.provider);
  }

  /** The instance built from the bundled table, made on first use and shared. */
  static bundled(): DatacenterLookup {
    return (DatacenterLookup.shared ??= new DatacenterLookup(bundled as DatacenterRangesFile));
  }

  /** How many disjoint ranges the table holds, per family. */
  get size(): { ipv4: number; ipv6: number } {
    return { ipv4: this.v4Start.length, ipv6: this.v6Provider.length };
  }

  provider(ip: string): string | null {
    const v4 = parseIpv4(ip);
    if (v4 >= 0) return this.findV4(v4);
    const w = this.scratch;
    if (!parseIpv6(ip, w)) return null;
    // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address is what the provider published.
    if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return this.findV4(w[3]);
    return this.findV6(w);
  }

  isDatacenter(ip: string): boolean {
    return this.provider(ip) !== null;
  }

  private findV4(value: number): string | null {
    const starts = this.v4Start;
    // The last range starting at or before `value`.
    let lo = 0;
    let hi = starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= value) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at >= 0 && value <= this.v4End[at] ? this.names[this.v4Provider[at]] : null;
  }

  private findV6(w: Uint32Array): string | null {
    let lo = 0;
    let hi = this.v6Provider.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWords(this.v6Start, mid * 4, w) <= 0) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at >= 0 && compareWords(this.v6End, at * 4, w) >= 0 ? this.names[this.v6Provider[at]] : null;
  }
}

function writeWords(value: bigint, into: Uint32Array, at: number): void {
  for (let k = 0; k < 4; k++) into[at + k] = Number((value >> BigInt(96 - 32 * k)) & 0xffffffffn);
}

/** Sign of (table[at..at+3] - w). */
function compareWords(table: Uint32Array, at: number, w: Uint32Array): number {
  for (let k = 0; k < 4; k++) {
    const a = table[at + k];
    const b = w[k];
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}
