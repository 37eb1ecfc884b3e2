import { BlockList, isIP } from 'node:net';
import { normalizeIp } from '../../enrichment/client-ip';

/** A network's `allowedIps` (addresses or CIDRs), compiled once per cached network. */
export class IpAllowList {
  private constructor(private readonly list: BlockList) {}

  /** Null when the list is empty: every address is allowed. Entries that are not addresses are skipped. */
  static of(entries: readonly string[] | null | undefined): IpAllowList | null {
    const list = new BlockList();
    let count = 0;
    for (const entry of entries ?? []) {
      const [addr, bits] = String(entry).trim().split('/');
      const ip = normalizeIp(addr ?? '');
      const family = isIP(ip);
      if (!family) continue;
      const max = family === 4 ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) continue;
      list.addSubnet(ip, prefix, family === 4 ? 'ipv4' : 'ipv6');
      count++;
    }
    // A list whose every entry was unusable still means "only these": nobody is allowed.
    return count || (entries ?? []).length ? new IpAllowList(list) : null;
  }

  allows(address: string): boolean {
    const ip = normalizeIp(address);
    const family = isIP(ip);
    if (!family) return false;
    return this.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }
}
