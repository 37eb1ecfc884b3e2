/**
 * Allocation-free parsers for the click path: an IPv4 address to an unsigned 32-bit number, an
 * IPv6 address to four unsigned 32-bit words (most significant first). Both answer `false` /
 * `-1` for anything that is not an address, so a caller never needs a try/catch per request.
 */

/** `a.b.c.d` as an unsigned 32-bit number, or -1 when `text` is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string, from = 0, to = text.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const groups = new Uint16Array(8);

/**
 * Writes the 128 bits of an IPv6 address into `out[0..3]` and answers true, or answers false when
 * `text` is not one. Accepts `::` shortening, an embedded IPv4 tail (`::ffff:1.2.3.4`) and a zone
 * (`fe80::1%eth0`, ignored).
 */
export function parseIpv6(text: string, out: Uint32Array): boolean {
  let end = text.indexOf('%');
  if (end === -1) end = text.length;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (end >= 2 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
    if (i === end) return fill(count, gap, out);
  } else if (text.charCodeAt(0) === 58) return false;
  while (i < end) {
    if (count === 8) return false;
    let value = 0;
    let digits = 0;
    const start = i;
    while (i < end) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      if (++digits > 4) return false;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      // An IPv4 tail takes the last two groups.
      if (count > 6) return false;
      const v4 = parseIpv4(text, start, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      break;
    }
    if (digits === 0) return false;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap !== -1) return false;
      gap = count;
      i++;
      if (i === end) break;
    } else if (i === end) return false;
  }
  return fill(count, gap, out);
}

function fill(count: number, gap: number, out: Uint32Array): boolean {
  if (gap === -1 ? count !== 8 : count > 7) return false;
  const tailStart = gap === -1 ? 8 : 8 - (count - gap);
  for (let k = 0; k < 4; k++) out[k] = ((group(2 * k, gap, tailStart) << 16) | group(2 * k + 1, gap, tailStart)) >>> 0;
  return true;
}

/** Group `k` of the full address: before the `::`, zero inside it, the parsed tail after it. */
function group(k: number, gap: number, tailStart: number): number {
  if (gap === -1 || k < gap) return groups[k];
  return k >= tailStart ? groups[gap + k - tailStart] : 0;
}
