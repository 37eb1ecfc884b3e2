import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bundled from './data/datacenter-ranges.json';
import { buildDatacenterRanges, type DatacenterRangesFile } from './datacenter-ranges.builder';
import { DatacenterLookup } from './datacenter.lookup';
import { parseCidr } from './ip-range';

const file = (providers: { name: string; ipv4?: string[]; ipv6?: string[] }[]): DatacenterRangesFile => ({
  format: 1,
  retrieved: '2024-01-01',
  providers: providers.map((p, i) => ({ id: `p${i}`, published: '', inputs: [], ipv4: [], ipv6: [], ...p })),
});

describe('DatacenterLookup', () => {
  const lookup = new DatacenterLookup(
    file([
      { name: 'A', ipv4: ['10.0.0.0/24', '10.0.2.0/24'], ipv6: ['2001:db8::/48'] },
      { name: 'B', ipv4: ['10.0.0.128/25', '10.0.3.0/24', '255.255.255.255/32'], ipv6: ['2001:db8:1::/48', '::/128'] },
    ]),
  );

  it('names the provider of an address, at both ends of each range, and null outside', () => {
    assert.equal(lookup.provider('10.0.0.0'), 'A');
    assert.equal(lookup.provider('10.0.0.255'), 'A');
    assert.equal(lookup.provider('10.0.1.0'), null);
    assert.equal(lookup.provider('10.0.2.77'), 'A');
    assert.equal(lookup.provider('10.0.3.255'), 'B');
    assert.equal(lookup.provider('10.0.4.0'), null);
    assert.equal(lookup.provider('9.255.255.255'), null);
    assert.equal(lookup.provider('255.255.255.255'), 'B');
    assert.equal(lookup.provider('0.0.0.0'), null);
  });

  it('keeps the earlier provider where two overlap', () => {
    assert.equal(lookup.provider('10.0.0.200'), 'A');
  });

  it('answers IPv6, IPv4-mapped and zoned forms, and null for what is not an address', () => {
    assert.equal(lookup.provider('2001:db8::1'), 'A');
    assert.equal(lookup.provider('2001:db8:0:ffff:ffff:ffff:ffff:ffff'), 'A');
    assert.equal(lookup.provider('2001:db8:1::'), 'B');
    assert.equal(lookup.provider('2001:db8:2::'), null);
    assert.equal(lookup.provider('::'), 'B');
    assert.equal(lookup.provider('::1'), null);
    assert.equal(lookup.provider('::ffff:10.0.3.1'), 'B');
    assert.equal(lookup.provider('2001:db8::1%eth0'), 'A');
    for (const bad of ['', 'localhost', '10.0.0', '10.0.0.0/24', '2001:db8:::1']) assert.equal(lookup.provider(bad), null, bad);
    assert.equal(lookup.isDatacenter('10.0.0.1'), true);
    assert.equal(lookup.isDatacenter('192.0.2.1'), false);
  });

  it('works on an empty table', () => {
    const empty = new DatacenterLookup(file([]));
    assert.equal(empty.provider('10.0.0.1'), null);
    assert.equal(empty.provider('2001:db8::1'), null);
  });

  it('agrees with a linear scan of the ranges on random addresses', () => {
    const built = buildDatacenterRanges(
      [
        { name: 'hetzner.txt', text: '10.0.0.0/30\n10.0.0.8/29\n10.0.1.0/24\n172.16.0.0/12' },
        { name: 'ovh.txt', text: '10.0.0.2/31\n10.0.0.4/30\n192.168.0.0/16' },
      ],
      '2024-01-01',
    ).file;
    const table = new DatacenterLookup(built);
    const blocks = built.providers.flatMap((p) => p.ipv4.map((c) => ({ name: p.name, range: parseCidr(c)! })));
    for (let i = 0; i < 2000; i++) {
      const n = i < 1000 ? (0x0a000000 + i) >>> 0 : Math.floor(Math.random() * 2 ** 32);
      const ip = [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
      const expected = blocks.find((b) => BigInt(n) >= b.range.start && BigInt(n) <= b.range.end)?.name ?? null;
      assert.equal(table.provider(ip), expected, ip);
    }
  });
});

describe('the bundled table (data/datacenter-ranges.json)', () => {
  const data = bundled as DatacenterRangesFile;
  const lookup = DatacenterLookup.bundled();

  it('holds the seven providers, each with valid IPv4 blocks and a retrieval date', () => {
    assert.deepEqual(
      data.providers.map((p) => p.name),
      ['AWS', 'Google Cloud', 'Microsoft Azure', 'Oracle Cloud', 'DigitalOcean', 'Hetzner', 'OVH'],
    );
    assert.match(data.retrieved, /^\d{4}-\d{2}-\d{2}$/);
    for (const p of data.providers) {
      assert.ok(p.ipv4.length > 0, p.name);
      for (const cidr of [...p.ipv4, ...p.ipv6]) assert.ok(parseCidr(cidr), `${p.name}: ${cidr}`);
    }
    assert.ok(lookup.size.ipv4 > 1000 && lookup.size.ipv6 > 100);
  });

  it('names well-known cloud addresses and leaves residential and public resolvers alone', () => {
    assert.equal(lookup.provider('3.0.0.1'), 'AWS');
    assert.equal(lookup.provider('34.1.208.1'), 'Google Cloud');
    assert.equal(lookup.provider('20.33.0.1'), 'Microsoft Azure');
    assert.equal(lookup.provider('5.9.0.1'), 'Hetzner');
    assert.equal(lookup.provider('51.38.0.1'), 'OVH');
    assert.equal(lookup.provider('2a01:4f8::1'), 'Hetzner');
    assert.equal(lookup.provider('2001:41d0::1'), 'OVH');
    assert.equal(lookup.provider('1.1.1.1'), null);
    assert.equal(lookup.provider('192.168.1.1'), null);
    assert.equal(lookup.provider('81.2.69.160'), null);
  });
});
