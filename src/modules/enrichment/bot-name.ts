import { isbotMatch } from 'isbot';
import curated from './data/bot-names.json';

/**
 * The name of the bot behind a user agent, for the visit's `bot` flag to say who (SPEC §4: bots
 * are recorded and flagged, not dropped).
 *
 * API for the click path: `botName(ua)` answers null for a human (whenever `isbot` does not flag
 * the agent, the same rule as the visit's `bot: false`), else a readable name: a curated one for
 * the common bots (`Googlebot`, `Bingbot`, `AdsBot-Google`, `facebookexternalhit`, `curl`,
 * `python-requests`, `HeadlessChrome`, ...; data/bot-names.json, first match wins), else the
 * token that calls itself a bot (`FooBot/1.0` -> `FooBot`), else the product token around
 * `isbot`'s match (`ruby`), else `Other`.
 * Pure and synchronous; costs one `isbot` regex for humans. Cache per agent as the user-agent
 * parser does, if it is called per click.
 */
export const OTHER_BOT = 'Other';

const NAMES: readonly { name: string; re: RegExp }[] = curated.names.map((n) => ({ name: n.name, re: new RegExp(n.match, 'i') }));

/** Longer agents are cut, as the user-agent parser does: regexes on 10 KB hurt, and the tail never names a bot. */
const MAX_UA = 512;

export function botName(userAgent: string | null | undefined): string | null {
  const ua = (userAgent ?? '').slice(0, MAX_UA);
  const match = isbotMatch(ua);
  if (match === null) return null;
  for (const n of NAMES) if (n.re.test(ua)) return n.name;
  const named = BOT_WORD.exec(ua);
  if (named) return named[1];
  const token = productToken(ua, match);
  return token && !GENERIC.test(token) ? token : OTHER_BOT;
}

/** A token that calls itself a bot (`FooBot/1.0`, `SomeCrawler`), for bots not in the list. */
const BOT_WORD = /(?:^|[\s;(,+])([A-Za-z][\w.!-]{0,40}?(?:bot|spider|crawler|fetcher|scraper))(?=[\s/;),]|$)/i;
/** Tokens every browser-like agent carries: they name no bot. */
const GENERIC = /^(Mozilla|AppleWebKit|Chrome|Safari|Gecko|compatible|KHTML|like)$/i;

/**
 * The `product/version` token of `ua` that holds `match`, without its version: `MJ12bot/v1.4.8`
 * -> `MJ12bot`. Null when that token is a URL or an e-mail address, or has no letters.
 */
function productToken(ua: string, match: string): string | null {
  const at = ua.indexOf(match);
  if (at < 0) return null;
  let start = at;
  while (start > 0 && !/[\s;(),+]/.test(ua[start - 1])) start--;
  let end = at + match.length;
  while (end < ua.length && !/[\s;(),]/.test(ua[end])) end++;
  const token = ua
    .slice(start, end)
    .split('/')[0]
    .replace(/[:._-]+$/, '');
  if (!/[A-Za-z]/.test(token) || /^https?$/i.test(token) || token.includes('@') || token.length > 64) return null;
  return token;
}
