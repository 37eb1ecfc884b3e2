import { DemoClient, DemoHttpError } from './demo.client';
import type { PlannedClick, PlannedMessage } from './demo.plan';
import type { Progress } from './demo.progress';
import { clickPath, conversionRequest } from './demo.requests';

/** Runs `work` over `items` with at most `size` in flight. */
async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

const TT_CID = /(?:^|;\s*)tt_cid=([^;]+)/;

/**
 * Sends every planned click to `/c/:key` as its visitor would (address in X-Forwarded-For,
 * user agent, language, referer) and returns the click ids the tracker minted, by plan index.
 */
export async function sendClicks(
  client: DemoClient,
  campaignKey: string,
  clicks: readonly PlannedClick[],
  concurrency: number,
  progress: Progress,
): Promise<string[]> {
  const ids: string[] = new Array(clicks.length);
  let done = 0;
  await inPool(clicks, concurrency, async (click) => {
    const res = await client.send(clickPath(campaignKey, click), {
      headers: { 'x-forwarded-for': click.ip, 'user-agent': click.ua, 'accept-language': click.lang, referer: click.referer },
    });
    const body = await res.text();
    const cookie = res.headers
      .getSetCookie()
      .map((c) => TT_CID.exec(c)?.[1])
      .find(Boolean);
    if (res.status !== 302 || !cookie) throw new DemoHttpError(`GET /c/${campaignKey} (click ${click.index})`, res.status, body || 'no tt_cid cookie');
    ids[click.index] = cookie;
    progress.update('Clicks', ++done, clicks.length);
  });
  return ids;
}

export interface MessageContextBase {
  clickIds: readonly string[];
  networkId: string;
  token: string;
}

/**
 * Sends conversion messages and counts the tracker's answers. An answer other than the
 * planned one is a problem for the demo's check, not an exception: the report still prints.
 */
export async function sendMessages(
  client: DemoClient,
  messages: readonly PlannedMessage[],
  ctx: MessageContextBase,
  concurrency: number,
  tally: { outcomes: Record<string, number>; problems: string[]; sent: number },
  progress: Progress,
  total: number,
): Promise<void> {
  await inPool(messages, concurrency, async (m) => {
    const req = conversionRequest(m, { clickId: ctx.clickIds[m.conversion.clickIndex], networkId: ctx.networkId, token: ctx.token });
    const res = await client.send(req.path, { method: req.method, json: req.json });
    const text = await res.text();
    if (res.status !== 200) throw new DemoHttpError(req.label, res.status, text);
    let status = 'pixel';
    if (m.expect !== null) {
      status = (JSON.parse(text) as { status: string }).status;
      if (status !== m.expect) tally.problems.push(`${req.label}: answered ${text}, expected "${m.expect}"`);
    } else if (!res.headers.get('content-type')?.startsWith('image/gif')) {
      tally.problems.push(`${req.label}: answered ${res.headers.get('content-type')}, expected a GIF`);
    }
    tally.outcomes[status] = (tally.outcomes[status] ?? 0) + 1;
    progress.update('Postbacks', ++tally.sent, total);
  });
}
