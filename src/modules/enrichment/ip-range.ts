import { parseIpv4, parseIpv6 } from './ip-address';

/**
 * Address ranges as inclusive [start, end] pairs of bigints, for building and loading the range
 * tables (not for the per-request lookup, which uses typed arrays). IPv4 and IPv6 never mix.
 */
export interface IpRange {
  v6: boolean;
  start: bigint;
  end: bigint;
}

const words = new Uint32Array(4);

export function ipToBigInt(text: string): { v6: boolean; value: bigint } | null {
  const v4 = parseIpv4(text);
  if (v4 >= 0) return { v6: false, value: BigInt(v4) };
  if (!parseIpv6(text, words)) return null;
  return { v6: true, value: (BigInt(words[0]) << 96n) | (BigInt(words[1]) << 64n) | (BigInt(words[2]) << 32n) | BigInt(words[3]) };
}

/** `203.0.113.0/24`, `2600:1f00::/24`, or a bare address (a single-address range); null when invalid. */
export function parseCidr(text: string): IpRange | null {
  const slash = text.indexOf('/');
  const ip = ipToBigInt(slash === -1 ? text.trim() : text.slice(0, slash).trim());
  if (!ip) return null;
  const width = ip.v6 ? 128 : 32;
  const bitsText = slash === -1 ? String(width) : text.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  if (bits > width) return null;
  const hostMask = (1n << BigInt(width - bits)) - 1n;
  // A prefix written with host bits set (`10.0.0.1/8`) means its network, as routers read it.
  const start = ip.value & ~hostMask & ((1n << BigInt(width)) - 1n);
  return { v6: ip.v6, start, end: start | hostMask };
}

/** Sorted, with overlapping and touching ranges joined. */
export function mergeRanges(ranges: readonly IpRange[]): IpRange[] {
  const sorted = [...ranges].sort(compareRanges);
  const out: IpRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.v6 === r.v6 && r.start <= last.end + 1n) {
      if (r.end > last.end) last.end = r.end;
    } else out.push({ ...r });
  }
  return out;
}

function compareRanges(a: IpRange, b: IpRange): number {
  if (a.v6 !== b.v6) return a.v6 ? 1 : -1;
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

/** The parts of `ranges` (merged) that `taken` (merged) does not cover. */
export function subtractRanges(ranges: readonly IpRange[], taken: readonly IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  for (const v6 of [false, true]) {
    const t = taken.filter((x) => x.v6 === v6);
    let j = 0;
    for (const r of ranges) {
      if (r.v6 !== v6) continue;
      let start = r.start;
      while (j < t.length && t[j].end < start) j++;
      for (let k = j; k < t.length && t[k].start <= r.end && start <= r.end; k++) {
        if (t[k].start > start) out.push({ v6, start, end: t[k].start - 1n });
        if (t[k].end >= start) start = t[k].end + 1n;
      }
      if (start <= r.end) out.push({ v6, start, end: r.end });
    }
  }
  return out;
}

/** The fewest CIDR blocks that cover exactly [start, end]. */
export function rangeToCidrs(range: IpRange): string[] {
  const width = range.v6 ? 128n : 32n;
  const out: string[] = [];
  let start = range.start;
  while (start <= range.end) {
    let size = 0n;
    // Grow the block while it stays aligned on `start` and inside the range.
    while (size < width && (start & ((1n << (size + 1n)) - 1n)) === 0n && start + (1n << (size + 1n)) - 1n <= range.end) size++;
    out.push(`${formatIp(start, range.v6)}/${width - size}`);
    start += 1n << size;
  }
  return out;
}

export function formatIp(value: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const parts = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups becomes `::`.
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && parts[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = parts.map((p) => p.toString(16));
  if (bestAt === -1) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}
