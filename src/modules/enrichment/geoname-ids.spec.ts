import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { countryGeonameId, GEONAME_IDS } from './geoname-ids';

/** Every country code in geoip-lite's bundled data (10-byte IPv4 and 34-byte IPv6 country records). */
function geoipLiteCountries(): Set<string> {
  const dir = join(dirname(require.resolve('geoip-lite/package.json')), 'data');
  const codes = new Set<string>();
  for (const [file, size] of [
    ['geoip-country.dat', 10],
    ['geoip-country6.dat', 34],
  ] as const) {
    const buf = readFileSync(join(dir, file));
    for (let i = size - 2; i < buf.length; i += size) codes.add(buf.toString('latin1', i, i + 2).replace(/\0.*/, ''));
  }
  codes.delete('');
  return codes;
}

describe('GEONAME_IDS', () => {
  it('maps two upper-case letters to distinct positive integer ids', () => {
    const entries = Object.entries(GEONAME_IDS);
    assert.ok(entries.length >= 249, `only ${entries.length} countries`);
    for (const [code, id] of entries) {
      assert.match(code, /^[A-Z]{2}$/);
      assert.ok(Number.isSafeInteger(id) && id > 0, `${code}: ${id}`);
    }
    assert.equal(new Set(entries.map(([, id]) => id)).size, entries.length, 'two countries share an id');
  });

  it('knows every country geoip-lite can return', () => {
    const missing = [...geoipLiteCountries()].filter((c) => countryGeonameId(c) === null);
    assert.deepEqual(missing, []);
  });

  it('holds the GeoNames ids of well-known countries', () => {
    const known: Record<string, number> = {
      US: 6252001,
      GB: 2635167,
      DE: 2921044,
      FR: 3017382,
      IN: 1269750,
      NP: 1282988,
      CA: 6251999,
      AU: 2077456,
      BR: 3469034,
      JP: 1861060,
      CN: 1814991,
      RU: 2017370,
      NL: 2750405,
      ES: 2510769,
      IT: 3175395,
      MX: 3996063,
      ZA: 953987,
      XK: 831053,
      RS: 6290252,
      SS: 7909807,
      CW: 7626836,
    };
    for (const [code, id] of Object.entries(known)) assert.equal(countryGeonameId(code), id, code);
  });

  it('answers null for region codes and unknown input', () => {
    for (const code of ['EU', 'AP', 'ZZ', '', null, undefined, 'toString', '__proto__']) {
      assert.equal(countryGeonameId(code), null, String(code));
    }
  });
});
