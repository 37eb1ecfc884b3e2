import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Reader, type CityResponse } from 'maxmind';
import { ConfigError } from '../../config/app-config';
import { normalizeIp } from './client-ip';
import { countryGeonameId } from './geoname-ids';

/** Where a client is. Every key is always present; null when unknown. */
export interface Geo {
  country: string | null;
  /** The GeoNames id of the country. */
  geoname_id: number | null;
  region: string | null;
  city: string | null;
  tz: string | null;
}

type Find = (ip: string) => Geo;

const unknown = (): Geo => ({ country: null, geoname_id: null, region: null, city: null, tz: null });

function openMmdb(path: string): Reader<CityResponse> {
  let db: Buffer;
  try {
    db = readFileSync(path);
  } catch (e) {
    throw new ConfigError('GEOIP_MMDB', `cannot read '${path}': ${(e as Error).message}`);
  }
  try {
    return new Reader<CityResponse>(db);
  } catch (e) {
    throw new ConfigError('GEOIP_MMDB', `'${path}' is not a MaxMind database: ${(e as Error).message}`);
  }
}

/** Opens the database once to prove it usable; throws a ConfigError naming GEOIP_MMDB if not. */
export function checkMmdb(path: string): void {
  openMmdb(path);
}

function mmdbFind(reader: Reader<CityResponse>): Find {
  return (ip) => {
    let r: CityResponse | null;
    try {
      r = reader.get(ip);
    } catch {
      return unknown(); // an IPv6 address asked of an IPv4-only database
    }
    if (!r) return unknown();
    const country = r.country?.iso_code ?? null;
    return {
      country,
      geoname_id: r.country?.geoname_id ?? countryGeonameId(country),
      region: r.subdivisions?.[0]?.iso_code ?? null,
      city: r.city?.names?.en ?? null,
      tz: r.location?.time_zone ?? null,
    };
  };
}

function geoipLiteFind(): Find {
  // Required here, not imported: loading its bundled data takes a second and ~150 MB, which an
  // install using GEOIP_MMDB should not pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const geoip = require('geoip-lite') as typeof import('geoip-lite');
  return (ip) => {
    const r = geoip.lookup(ip);
    if (!r || !r.country) return unknown();
    return {
      country: r.country,
      geoname_id: countryGeonameId(r.country),
      region: r.region || null,
      city: r.city || null,
      tz: r.timezone || null,
    };
  };
}

/** IP → country, region, city, time zone: from a MaxMind file when given, else geoip-lite's bundled data. */
export class GeoLookup {
  private readonly find: Find;

  constructor(mmdbPath?: string | null) {
    this.find = mmdbPath ? mmdbFind(openMmdb(mmdbPath)) : geoipLiteFind();
  }

  lookup(ip: string | null): Geo {
    if (!ip) return unknown();
    const addr = normalizeIp(ip);
    return isIP(addr) ? this.find(addr) : unknown();
  }
}
