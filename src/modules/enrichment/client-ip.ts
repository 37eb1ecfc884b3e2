import { BlockList, isIP } from 'node:net';
import type { TrustProxy } from '../../config/app-config';

export type Protocol = 'http' | 'https';

export interface ForwardedHeaders {
  xForwardedFor?: string | string[];
  xForwardedProto?: string | string[];
}

export interface ResolvedClient {
  ip: string;
  /** The raw X-Forwarded-For value, kept for the record whether or not it was believed. */
  forwardedFor: string | null;
  protocol: Protocol;
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const V4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const BRACKETED_V6 = /^\[([^\]]+)\](?::\d{1,5})?$/;

/** `::ffff:1.2.3.4` → `1.2.3.4`, so IPv4 rules and storage see one form. */
export function normalizeIp(ip: string): string {
  const m = MAPPED_V4.exec(ip);
  return m ? m[1] : ip;
}

/** One X-Forwarded-For entry as an address, or null. Some proxies (Azure) append a port. */
function parseEntry(raw: string): string | null {
  const s = raw.trim();
  const m = V4_WITH_PORT.exec(s) ?? BRACKETED_V6.exec(s);
  const ip = normalizeIp(m ? m[1] : s);
  return isIP(ip) ? ip : null;
}

function joinHeader(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  const s = Array.isArray(v) ? v.join(', ') : v;
  return s === '' ? null : s;
}

// Compiled once per config object: this runs on every click.
const compiled = new WeakMap<TrustProxy, (ip: string) => boolean>();

const DOTTED_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function v4Number(ip: string): number | null {
  const m = DOTTED_V4.exec(ip);
  if (!m) return null;
  const [a, b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return a > 255 || b > 255 || c > 255 || d > 255 ? null : ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function trustFn(trust: TrustProxy): (ip: string) => boolean {
  let fn = compiled.get(trust);
  if (fn) return fn;
  if (trust.all) fn = () => true;
  else {
    const list = new BlockList();
    // IPv4 ranges are also checked in plain arithmetic: BlockList.check builds a native
    // SocketAddress per call, several microseconds on every click.
    const v4: [number, number][] = [];
    // An IPv4-mapped IPv6 range (::ffff:a.b.c.d/n) can match an IPv4 address: leave those to BlockList.
    const mapped = trust.cidrs.some((c) => /^::ffff:/i.test(c));
    for (const cidr of trust.cidrs) {
      const [net, bits] = cidr.split('/');
      const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
      const prefix = bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits);
      list.addSubnet(normalizeIp(net), prefix, family);
      const n = family === 'ipv4' ? v4Number(normalizeIp(net)) : null;
      if (n !== null) {
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        v4.push([(n & mask) >>> 0, mask]);
      }
    }
    fn = (ip) => {
      const n = v4Number(ip);
      if (n !== null && v4.some(([net, mask]) => (n & mask) >>> 0 === net)) return true;
      if (n !== null && !mapped) return false;
      return list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
    };
  }
  compiled.set(trust, fn);
  return fn;
}

/** Who the client is and how it reached us, the way Express's `trust proxy` decides it. */
export function resolveClient(socketIp: string, headers: ForwardedHeaders, trustProxy: TrustProxy | null, socketProtocol: Protocol): ResolvedClient {
  const socket = normalizeIp(socketIp);
  const forwardedFor = joinHeader(headers.xForwardedFor);
  const direct: ResolvedClient = { ip: socket, forwardedFor, protocol: socketProtocol };
  if (!trustProxy) return direct;
  const trusted = trustFn(trustProxy);
  if (!isIP(socket) || !trusted(socket)) return direct;

  const hops = (forwardedFor ?? '')
    .split(',')
    .map(parseEntry)
    .filter((ip): ip is string => ip !== null);
  let ip = socket;
  if (trustProxy.all) ip = hops[0] ?? socket;
  else {
    // Right to left: each trusted hop vouches for the one before it; the first stranger is the client.
    for (let i = hops.length - 1; i >= 0; i--) {
      ip = hops[i];
      if (!trusted(ip)) break;
    }
  }
  const proto = joinHeader(headers.xForwardedProto)?.split(',')[0].trim().toLowerCase();
  return { ip, forwardedFor, protocol: proto === 'http' || proto === 'https' ? proto : socketProtocol };
}

/** IPv4 with the last octet zeroed, IPv6 cut to its /48; anything else comes back unchanged. */
export function anonymizeIp(ip: string): string {
  const addr = normalizeIp(ip);
  const family = isIP(addr);
  if (family === 4) return addr.slice(0, addr.lastIndexOf('.')) + '.0';
  if (family !== 6) return ip;
  return compressV6([...expandV6(addr).slice(0, 3), 0, 0, 0, 0, 0]);
}

/** Each address in an X-Forwarded-For value anonymized; entries that are not addresses become `unknown`. */
export function anonymizeForwardedFor(value: string): string {
  return value
    .split(',')
    .map((raw) => {
      const ip = parseEntry(raw);
      return ip === null ? 'unknown' : anonymizeIp(ip);
    })
    .join(', ');
}

function expandV6(ip: string): number[] {
  let s = ip.split('%')[0];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    s = s.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((x) => parseInt(x, 16));
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function compressV6(groups: number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
