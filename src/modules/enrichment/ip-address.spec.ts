import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseIpv4, parseIpv6 } from './ip-address';
import { formatIp, mergeRanges, parseCidr, rangeToCidrs, subtractRanges, type IpRange } from './ip-range';

const words = new Uint32Array(4);
const v6 = (text: string): number[] | null => (parseIpv6(text, words) ? [...words] : null);
const r4 = (start: string, end: string): IpRange => ({ v6: false, start: parseCidr(start)!.start, end: parseCidr(end)!.start });

describe('parseIpv4 / parseIpv6', () => {
  it('reads dotted quads and refuses anything else', () => {
    assert.equal(parseIpv4('0.0.0.0'), 0);
    assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
    assert.equal(parseIpv4('52.94.4.10'), ((52 * 256 + 94) * 256 + 4) * 256 + 10);
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '1.2.3.', '.1.2.3', '1234.1.1.1', '::1'])
      assert.equal(parseIpv4(bad), -1, bad);
  });

  it('reads every IPv6 spelling: full, shortened, IPv4 tail, zone, upper case', () => {
    assert.deepEqual(v6('::'), [0, 0, 0, 0]);
    assert.deepEqual(v6('::1'), [0, 0, 0, 1]);
    assert.deepEqual(v6('1::'), [0x10000, 0, 0, 0]);
    assert.deepEqual(v6('2001:DB8::8:800:200c:417a'), [0x20010db8, 0, 0x80800, 0x200c417a]);
    assert.deepEqual(v6('2001:db8:0:0:1:0:0:1'), [0x20010db8, 0, 0x10000, 1]);
    assert.deepEqual(v6('::ffff:192.0.2.128'), [0, 0, 0xffff, 0xc0000280]);
    assert.deepEqual(v6('fe80::1%eth0'), [0xfe800000, 0, 0, 1]);
    assert.deepEqual(v6('1:2:3:4:5:6:7::'), [0x10002, 0x30004, 0x50006, 0x70000]);
    for (const bad of ['', ':', ':1', '1:', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1.2.3.4', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', 'abc'])
      assert.equal(v6(bad), null, bad);
  });

  it('agrees with node:net on which strings are addresses, and round-trips random addresses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 20 })), (s) => {
        const family = isIP(s);
        assert.equal(parseIpv4(s) >= 0, family === 4, s);
        if (family !== 4) assert.equal(parseIpv6(s, words), family === 6, s);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        const text = formatIp(value, true);
        assert.equal(isIP(text), 6);
        assert.equal(parseCidr(text)!.start, value);
      }),
    );
  });
});

describe('ranges', () => {
  it('reads CIDR blocks, zeroes host bits, and refuses what is not one', () => {
    assert.deepEqual(parseCidr('10.0.0.1/8'), r4('10.0.0.0', '10.255.255.255'));
    assert.deepEqual(parseCidr('2600:1f00::/24'), { v6: true, start: 0x26001f00n << 96n, end: (0x26001fffn << 96n) | ((1n << 96n) - 1n) });
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', 'x/8', '::/129']) assert.equal(parseCidr(bad), null, bad);
  });

  it('merges touching ranges and subtracts what an earlier provider holds', () => {
    const merged = mergeRanges([r4('10.0.1.0', '10.0.1.255'), r4('10.0.0.0', '10.0.0.255'), r4('10.0.3.0', '10.0.3.9')]);
    assert.deepEqual(merged, [r4('10.0.0.0', '10.0.1.255'), r4('10.0.3.0', '10.0.3.9')]);
    const left = subtractRanges(merged, [r4('10.0.0.128', '10.0.0.255'), r4('10.0.3.0', '10.0.3.9')]);
    assert.deepEqual(left, [r4('10.0.0.0', '10.0.0.127'), r4('10.0.1.0', '10.0.1.255')]);
  });

  it('writes a range as the fewest CIDR blocks', () => {
    assert.deepEqual(rangeToCidrs(r4('10.0.0.0', '10.0.1.255')), ['10.0.0.0/23']);
    assert.deepEqual(rangeToCidrs(r4('10.0.0.1', '10.0.0.6')), ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
    assert.deepEqual(rangeToCidrs({ v6: true, start: 0n, end: (1n << 128n) - 1n }), ['::/0']);
    assert.deepEqual(rangeToCidrs(parseCidr('2001:db8::/127')!), ['2001:db8::/127']);
  });
});
