import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isBlockedAddress, type ResolveAll } from './address.guard';

/** A connection refused because its host resolves to a blocked address. */
export class BlockedAddressError extends Error {}

/**
 * A `lookup` for node:net that resolves the name and, unless private addresses are allowed,
 * fails when ANY of its addresses is blocked. net.connect dials exactly what it answers, so the
 * check holds for the address actually connected to, even if DNS changed since save time.
 */
export function createGuardedLookup(allowPrivate: boolean, resolve: ResolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const bad = allowPrivate ? undefined : all.find((a) => isBlockedAddress(a.address));
        if (bad) {
          return callback(new BlockedAddressError(`${hostname} resolves to ${bad.address}, which is not allowed`), '');
        }
        const family = familyNumber(options.family);
        const usable = all.filter((a) => family === 0 || a.family === family);
        if (usable.length === 0) {
          return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        }
        if (options.all) callback(null, usable as LookupAddress[]);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

function familyNumber(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}
