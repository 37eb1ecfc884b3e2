import type { RuleWhen } from '../campaigns/campaign-rules';
import type { ClientInfo } from '../enrichment/enrichment.service';
import { parseIpv4 } from '../enrichment/ip-address';
import { ipToBigInt, parseCidr } from '../enrichment/ip-range';
import type { ParamSlot } from '../traffic-sources/traffic-source.entity';
import { zonedClock } from './zoned-clock';

/**
 * What a rule looks at for one click, each value worked out once and only when a criterion asks
 * (most clicks of most campaigns never need the language or the address as a number).
 */
export class ClickFacts {
  private lang: string | null | undefined;
  private region: string | null | undefined;
  private city: string | null | undefined;
  private os: string | undefined;
  private browser: string | undefined;
  private v4: number | undefined;
  private v6: bigint | null | undefined;

  constructor(
    readonly client: ClientInfo,
    readonly query: Readonly<Record<string, unknown>>,
    readonly now: number,
    /** Whether the visitor is new to the campaign (§4 `unique`); null when no rule asks. */
    readonly unique: boolean | null,
  ) {}

  /** Primary subtag of the first `Accept-Language` entry, lower case (`en`). */
  get language(): string | null {
    if (this.lang === undefined) {
      const m = this.client.lang ? /^\s*([A-Za-z]{1,8})/.exec(this.client.lang) : null;
      this.lang = m ? m[1].toLowerCase() : null;
    }
    return this.lang;
  }

  get regionLower(): string | null {
    if (this.region === undefined) this.region = this.client.geo.region?.toLowerCase() ?? null;
    return this.region;
  }

  get cityLower(): string | null {
    if (this.city === undefined) this.city = this.client.geo.city?.toLowerCase() ?? null;
    return this.city;
  }

  get osLower(): string {
    return (this.os ??= this.client.os.family.toLowerCase());
  }

  get browserLower(): string {
    return (this.browser ??= this.client.agent.family.toLowerCase());
  }

  /** The address as an IPv4 number, -1 when it is not IPv4. */
  get ipv4(): number {
    return (this.v4 ??= parseIpv4(this.client.ip));
  }

  get ipv6(): bigint | null {
    if (this.v6 === undefined) {
      const ip = ipToBigInt(this.client.ip);
      this.v6 = ip?.v6 ? ip.value : null;
    }
    return this.v6;
  }
}

export type Predicate = (f: ClickFacts) => boolean;

/** The first rule whose predicate holds for the click, or null (SPEC §3: tried in order). */
export function firstMatch<R extends { match: Predicate }>(rules: readonly R[], facts: ClickFacts): R | null {
  for (const r of rules) if (r.match(facts)) return r;
  return null;
}

/** What a compiled `when` needs besides the facts: the traffic source's slots (`param` by slot name). */
export interface RuleContext {
  slots: readonly ParamSlot[];
}

/**
 * Compiles a stored `when` (campaign-rules.ts) into one predicate: every criterion must match; `not`
 * matches when none of its criteria does. Lists become Sets, CIDRs numeric ranges, zones shared
 * clocks, so a click costs a few lookups per criterion. `tz` applies to `weekday` and `hour` of
 * its own object; a `not` without one uses its parent's.
 */
export function compileWhen(when: RuleWhen, ctx: RuleContext, parentTz = 'UTC'): Predicate {
  const all = criteria(when, ctx, parentTz);
  if (all.length === 0) return () => true;
  if (all.length === 1) return all[0];
  return (f) => {
    for (const p of all) if (!p(f)) return false;
    return true;
  };
}

/** Whether a compiled rule set needs `unique` (a database look-up) to be decided. */
export function needsUnique(when: RuleWhen): boolean {
  return when.unique !== undefined || (when.not !== undefined && needsUnique(when.not));
}

function criteria(when: RuleWhen, ctx: RuleContext, parentTz: string): Predicate[] {
  const out: Predicate[] = [];
  const tz = when.tz ?? parentTz;
  if (when.country) {
    const set = new Set(when.country);
    out.push((f) => f.client.geo.country !== null && set.has(f.client.geo.country.toUpperCase()));
  }
  if (when.region) {
    const set = new Set(when.region);
    out.push((f) => f.regionLower !== null && set.has(f.regionLower));
  }
  if (when.city) {
    const set = new Set(when.city);
    out.push((f) => f.cityLower !== null && set.has(f.cityLower));
  }
  if (when.language) {
    const set = new Set(when.language);
    out.push((f) => f.language !== null && set.has(f.language));
  }
  if (when.deviceType) {
    const set = new Set<string>(when.deviceType);
    out.push((f) => set.has(f.client.deviceType));
  }
  if (when.os) {
    const set = new Set(when.os);
    out.push((f) => set.has(f.osLower));
  }
  if (when.browser) {
    const set = new Set(when.browser);
    out.push((f) => set.has(f.browserLower));
  }
  if (when.ip) out.push(ipPredicate(when.ip));
  if (when.bot !== undefined) {
    const want = when.bot;
    out.push((f) => f.client.bot === want);
  }
  if (when.datacenter !== undefined) {
    const want = when.datacenter;
    out.push((f) => (f.client.datacenter !== null) === want);
  }
  if (when.unique !== undefined) {
    const want = when.unique;
    out.push((f) => f.unique === want);
  }
  if (when.param) for (const [name, values] of Object.entries(when.param)) out.push(paramPredicate(name, values, ctx));
  if (when.weekday) {
    const days = new Set(when.weekday);
    const clock = zonedClock(tz);
    out.push((f) => days.has(clock.weekday(f.now)));
  }
  if (when.hour) {
    const { from, to } = when.hour;
    const clock = zonedClock(tz);
    const end = to % 24 === 0 && from > 0 ? 24 : to;
    out.push(
      from < end
        ? (f) => {
            const h = clock.hour(f.now);
            return h >= from && h < end;
          }
        : (f) => {
            // Wraps past midnight: 22..6 is 22, 23, 0 .. 5.
            const h = clock.hour(f.now);
            return h >= from || h < to;
          },
    );
  }
  if (when.not) {
    const none = criteria(when.not, ctx, tz);
    if (none.length)
      out.push((f) => {
        for (const p of none) if (p(f)) return false;
        return true;
      });
  }
  return out;
}

function ipPredicate(cidrs: readonly string[]): Predicate {
  const v4: number[] = [];
  const v6: { start: bigint; end: bigint }[] = [];
  for (const c of cidrs) {
    const r = parseCidr(c)!;
    if (r.v6) v6.push(r);
    else v4.push(Number(r.start), Number(r.end));
  }
  return (f) => {
    const a = f.ipv4;
    if (a >= 0) {
      for (let i = 0; i < v4.length; i += 2) if (a >= v4[i] && a <= v4[i + 1]) return true;
      return false;
    }
    if (!v6.length) return false;
    const b = f.ipv6;
    if (b === null) return false;
    for (const r of v6) if (b >= r.start && b <= r.end) return true;
    return false;
  };
}

/**
 * `param`: the name is a query parameter, or a remapped slot of the campaign's traffic source (then
 * the parameter that fills it is read). Values match case ignored; a repeated parameter matches
 * when any of its values does; an absent one matches nothing.
 */
function paramPredicate(name: string, values: readonly string[], ctx: RuleContext): Predicate {
  const set = new Set(values);
  const params = [...new Set([name, ...ctx.slots.filter((s) => s.as === name).map((s) => s.param)])];
  const test = (v: unknown): boolean => {
    if (typeof v === 'string') return set.has(v.toLowerCase());
    if (Array.isArray(v)) return v.some((x) => typeof x === 'string' && set.has(x.toLowerCase()));
    return false;
  };
  if (params.length === 1) {
    const p = params[0];
    return (f) => test(f.query[p]);
  }
  return (f) => params.some((p) => test(f.query[p]));
}
