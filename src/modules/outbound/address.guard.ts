import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** The addresses an outbound call may never reach unless OUTBOUND_ALLOW_PRIVATE (SPEC §7). */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
];

const blocked = new BlockList();
for (const [net, bits] of BLOCKED_V4) {
  blocked.addSubnet(net, bits, 'ipv4');
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms reach the same v4 host.
  blocked.addSubnet(`::ffff:${net}`, 96 + bits, 'ipv6');
  blocked.addSubnet(`64:ff9b::${net}`, 96 + bits, 'ipv6');
}
// ::/96 covers :: and ::1 plus the deprecated IPv4-compatible form; ff00::/8 is multicast.
blocked.addSubnet('::', 96, 'ipv6');
blocked.addSubnet('fc00::', 7, 'ipv6');
blocked.addSubnet('fe80::', 10, 'ipv6');
blocked.addSubnet('ff00::', 8, 'ipv6');

/** True for an address in a refused range; anything that is not an IP address is refused too. */
export function isBlockedAddress(ip: string): boolean {
  const address = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The IP address a host stands for when it is a literal, else null (a DNS name).
 * The WHATWG URL parser already turns `2130706433`, `0x7f.1` and `0177.0.0.1` into `127.0.0.1`.
 */
export function parseHostLiteral(host: string): string | null {
  if (/[/?#@\\\s]/.test(host)) return null;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
  const address = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(address) === 0 ? null : address;
}

/** Why a URL (or a template whose host is literal) cannot be called, or null. */
export function checkUrlForSave(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https URLs are allowed';
  if (parsed.username !== '' || parsed.password !== '') return 'user info is not allowed in the URL';
  if (parsed.hostname === '') return 'the URL has no host';
  const literal = parseHostLiteral(parsed.hostname);
  if (literal !== null && !allowPrivate && isBlockedAddress(literal)) {
    return `the address ${literal} is not allowed`;
  }
  return null;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type ResolveAll = (hostname: string) => Promise<ResolvedAddress[]>;

export const resolveWithDns: ResolveAll = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * As checkUrlForSave, and a host name is resolved now: refused when any address it resolves to
 * is blocked. A name that does not resolve is accepted, since DNS may be down for a moment;
 * the send-time check on the address actually dialled still applies.
 */
export async function checkUrlForSaveAsync(url: string, allowPrivate: boolean, resolve: ResolveAll = resolveWithDns): Promise<string | null> {
  const problem = checkUrlForSave(url, allowPrivate);
  if (problem !== null || allowPrivate) return problem;
  const hostname = new URL(url).hostname;
  if (parseHostLiteral(hostname) !== null) return null;
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(hostname);
  } catch {
    return null;
  }
  const bad = addresses.find((a) => isBlockedAddress(a.address));
  return bad ? `${hostname} resolves to ${bad.address}, which is not allowed` : null;
}

export interface SaveTimeProblem {
  code: 'BLOCKED_ADDRESS' | 'UNRESOLVABLE_HOST';
  message: string;
}

/** DNS answers that say the name does not exist (not that DNS is unreachable for a moment). */
const NO_SUCH_HOST = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

/**
 * The save-time check with its code: BLOCKED_ADDRESS for a refused address (literal or resolved),
 * UNRESOLVABLE_HOST for a name DNS says does not exist. A name whose lookup fails for another
 * reason (EAI_AGAIN, a timeout: DNS may be down for a moment) is accepted; the send-time check on
 * the address actually dialled still applies. With OUTBOUND_ALLOW_PRIVATE nothing is resolved.
 */
export async function saveTimeProblem(url: string, allowPrivate: boolean, resolve: ResolveAll = resolveWithDns): Promise<SaveTimeProblem | null> {
  const problem = checkUrlForSave(url, allowPrivate);
  if (problem !== null) return { code: 'BLOCKED_ADDRESS', message: problem };
  if (allowPrivate) return null;
  const hostname = new URL(url).hostname;
  if (parseHostLiteral(hostname) !== null) return null;
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(hostname);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return NO_SUCH_HOST.has(code) ? { code: 'UNRESOLVABLE_HOST', message: `${hostname} does not resolve (${code}): check the host name` } : null;
  }
  if (addresses.length === 0) return { code: 'UNRESOLVABLE_HOST', message: `${hostname} has no address: check the host name` };
  const bad = addresses.find((a) => isBlockedAddress(a.address));
  return bad ? { code: 'BLOCKED_ADDRESS', message: `${hostname} resolves to ${bad.address}, which is not allowed` } : null;
}
