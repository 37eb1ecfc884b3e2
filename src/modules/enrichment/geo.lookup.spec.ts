import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/app-config';
import { checkMmdb, GeoLookup } from './geo.lookup';
import { writeTestMmdb } from './test-mmdb.fixture';

const NONE = { country: null, geoname_id: null, region: null, city: null, tz: null };

describe('GeoLookup with the bundled data', () => {
  const geo = new GeoLookup();

  it('places 8.8.8.8 in the US with its GeoNames id and a time zone', () => {
    const g = geo.lookup('8.8.8.8');
    assert.equal(g.country, 'US');
    assert.equal(g.geoname_id, 6252001);
    assert.match(g.tz ?? '', /^America\//);
    assert.deepEqual(Object.keys(g).sort(), ['city', 'country', 'geoname_id', 'region', 'tz']);
  });

  it('finds region and city where the data has them, and IPv6 and mapped forms', () => {
    const g = geo.lookup('81.2.69.160');
    assert.equal(g.country, 'GB');
    assert.equal(g.geoname_id, 2635167);
    assert.equal(g.region, 'ENG');
    assert.equal(typeof g.city, 'string');
    assert.equal(geo.lookup('2001:4860:4860::8888').country, 'US');
    assert.equal(geo.lookup('::ffff:8.8.8.8').country, 'US');
  });

  it('gives all nulls for private, loopback, invalid and missing addresses', () => {
    for (const ip of ['10.1.2.3', '192.168.1.1', '127.0.0.1', '::1', 'fc00::1', 'nonsense', '', null]) {
      assert.deepEqual(geo.lookup(ip), NONE, String(ip));
    }
  });
});

describe('GeoLookup with a MaxMind database', () => {
  const path = writeTestMmdb('81.2.69.0/24', {
    country: { iso_code: 'GB', geoname_id: 2635167 },
    subdivisions: [{ iso_code: 'ENG' }],
    city: { names: { en: 'London' } },
    location: { time_zone: 'Europe/London' },
  });

  it('reads country, GeoNames id, region, city and time zone from the file', () => {
    const geo = new GeoLookup(path);
    const london = { country: 'GB', geoname_id: 2635167, region: 'ENG', city: 'London', tz: 'Europe/London' };
    assert.deepEqual(geo.lookup('81.2.69.160'), london);
    assert.deepEqual(geo.lookup('8.8.8.8'), NONE);
    assert.deepEqual(geo.lookup('2001:db8::1'), NONE, 'IPv6 against an IPv4-only file');
  });

  it('fills the GeoNames id from the country when the file lacks it', () => {
    const geo = new GeoLookup(writeTestMmdb('81.2.69.0/24', { country: { iso_code: 'DE' } }));
    assert.deepEqual(geo.lookup('81.2.69.1'), { ...NONE, country: 'DE', geoname_id: 2921044 });
  });

  it('reports a missing or unreadable file as a GEOIP_MMDB config error', () => {
    const junk = join(mkdtempSync(join(tmpdir(), 'geo-')), 'junk.mmdb');
    writeFileSync(junk, 'not a database');
    for (const bad of ['/nonexistent/GeoLite2-City.mmdb', junk]) {
      assert.throws(
        () => checkMmdb(bad),
        (e: unknown) => e instanceof ConfigError && e.variable === 'GEOIP_MMDB',
      );
      assert.throws(() => new GeoLookup(bad), ConfigError);
    }
    assert.doesNotThrow(() => checkMmdb(path));
  });
});
