import { DemoClient } from './demo.client';
import { expectedByCountry, ExpectedRow, planDemo } from './demo.plan';
import { DemoOutput, Progress } from './demo.progress';
import { DemoReport, fetchReport, reportProblems, reportTable } from './demo.report';
import { createDemoResources, DemoSetup } from './demo.setup';
import { formatMoney } from './demo.table';
import { startDemoServer } from './demo.server';
import { sendClicks, sendMessages } from './demo.traffic';

export interface DemoOptions {
  /** A tracker already listening (it must run with TRUST_PROXY=loopback); else one starts in process. */
  server?: { url: string; adminKey: string };
  /** For the in-process tracker: DATABASE_URL, DATA_DIR, ADMIN_API_KEY, BASE_URL, LOG_LEVEL… */
  env?: NodeJS.ProcessEnv;
  out?: DemoOutput;
  seed?: number;
  clicks?: number;
  concurrency?: number;
  /** Leave the in-process tracker running; `stop()` of the result ends it. */
  keepServer?: boolean;
}

export interface DemoResult extends DemoReport, DemoSetup {
  baseUrl: string;
  /** The admin key to explore with (a stored one when the data outlives the demo). */
  adminKey: string;
  sent: { clicks: number; conversions: number; messages: number; outcomes: Record<string, number> };
  /** What the report should say per country, from what the demo sent. */
  expected: ExpectedRow[];
  /** Differences between the answers or the report and what was sent; empty when all is well. */
  problems: string[];
  stop(): Promise<void>;
}

export const DEMO_DEFAULTS = { seed: 20240611, clicks: 300, concurrency: 16 };

/**
 * The demo (README "Quick tour"): sets up a source, a network, an offer and a campaign, sends
 * clicks and postbacks in every network format over HTTP, prints the report and checks it.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const out = options.out ?? process.stdout;
  const { seed, clicks, concurrency } = { ...DEMO_DEFAULTS, ...options };
  const progress = new Progress(out);
  out.write('Tracker demo: a campaign, its clicks and its conversions, through the real HTTP endpoints\n\n');
  const env = options.env ?? process.env;
  if (!options.server) progress.status('Starting   the tracker in this process (a new embedded database takes a few seconds)...');
  const own = options.server ? null : await startDemoServer(env);
  const server = options.server ?? own!;
  let stopped = own === null;
  const stop = async () => {
    if (!stopped) await own!.stop();
    stopped = true;
  };
  try {
    if (own) progress.finish(`Database   ${own.database}\nTracker    ${own.url} (in this process, TRUST_PROXY=loopback)\n`);
    const client = new DemoClient(server.url, server.adminKey);
    const setup = await createDemoResources(client);
    out.write(
      `Created    traffic source "Demo ad sources", network "Demo network" (postback token), offer "Demo offer" (dynamic payout), campaign "${setup.campaign.key}"\n`,
    );

    const plan = planDemo(seed, clicks);
    const started = Date.now();
    const clickIds = await sendClicks(client, setup.campaign.key, plan.clicks, concurrency, progress);
    const countries = new Set(plan.clicks.map((c) => c.country)).size;
    const bots = plan.clicks.filter((c) => c.bot).length;
    progress.finish(
      `Clicks     ${clicks} sent in ${((Date.now() - started) / 1000).toFixed(1)} s from ${countries} countries (${bots} by a bot), each answered 302 with a click id`,
    );

    const tally = { outcomes: {} as Record<string, number>, problems: [] as string[], sent: 0 };
    const ctx = { clickIds, networkId: setup.affiliateNetworkId, token: setup.postbackToken };
    const total = plan.first.length + plan.lifecycle.length;
    await sendMessages(client, plan.first, ctx, Math.min(concurrency, 8), tally, progress, total);
    // In order: each one changes what the one before it left.
    await sendMessages(client, plan.lifecycle, ctx, 1, tally, progress, total);
    const o = tally.outcomes;
    progress.finish(
      `Postbacks  ${total} sent as generic GET and JSON, pixel, Trackdesk, Tradedoubler and TradeTracker calls: ` +
        `${o.accepted ?? 0} accepted, ${o.updated ?? 0} updated (status changes), ${o.duplicate ?? 0} duplicate, ${o.pixel ?? 0} pixels answered with a GIF`,
    );

    const report = await fetchReport(client, setup.campaign.id);
    out.write(`\nReport: campaign x country, amounts in USD (GET /api/v1/reports?groupBy=campaign,country&campaign=${setup.campaign.id})\n\n`);
    out.write(reportTable(report));
    const expected = expectedByCountry(plan);
    const problems = [...tally.problems, ...reportProblems(report, expected)];
    const declined = plan.conversions.filter((c) => c.finalStatus === 'declined').length;
    const pending = plan.conversions.filter((c) => c.finalStatus === 'pending').length;
    if (problems.length) out.write(`\nCheck FAILED: the tracker does not agree with what the demo sent:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
    else
      out.write(
        `\nCheck: the report matches what was sent: ${clicks} clicks, ${plan.conversions.length} conversions ` +
          `(${declined} declined by a chargeback and left out, ${pending} still pending and counted), revenue ${formatMoney(report.totals.revenue)}, cost ${formatMoney(report.totals.cost)}\n`,
      );

    // A key of the database itself keeps working when `npm start` later serves the kept data.
    const adminKey =
      own?.kept && !env.ADMIN_API_KEY?.trim()
        ? (await client.api<{ key: string }>('POST', '/api-keys', { name: 'demo admin key', scope: 'admin' })).key
        : server.adminKey;
    const result: DemoResult = {
      ...setup,
      ...report,
      baseUrl: server.url,
      adminKey,
      expected: [...expected.values()],
      problems,
      stop,
      sent: { clicks, conversions: plan.conversions.length, messages: total, outcomes: { ...o } },
    };
    out.write(exploreText(result, clickIds[clickIds.length - 1] ?? '<click id>', own !== null && !options.keepServer, own?.kept ?? true));
    if (!options.keepServer) await stop();
    return result;
  } catch (e) {
    await stop();
    throw e;
  }
}

function exploreText(r: DemoResult, clickId: string, stopping: boolean, kept: boolean): string {
  const auth = `-H 'authorization: Bearer ${r.adminKey}'`;
  const lines = [
    '',
    'Explore further',
    `  Tracking URL   ${r.trackingUrl}`,
    `  Admin API key  ${r.adminKey}`,
    `  Report         curl -s '${r.baseUrl}/api/v1/reports?groupBy=campaign,country&campaign=${r.campaign.id}' ${auth}`,
    `  Conversions    curl -s '${r.baseUrl}/api/v1/conversions?campaignId=${r.campaign.id}&limit=5' ${auth}`,
    `  Inbound log    curl -s '${r.baseUrl}/api/v1/postbacks?limit=5' ${auth}`,
    `  A postback     curl -s '${r.baseUrl}/postback?clickid=${clickId}&payout=12.50&txid=MY-ORDER-1&token=${r.postbackToken}'`,
    '  API docs       ' + `${r.baseUrl}/api/docs`,
    '',
  ];
  if (stopping) {
    lines.push(
      kept
        ? 'The demo tracker has stopped; its data is kept. `npm start` with the same DATA_DIR / DATABASE_URL serves it again (on PORT, 3000 by default).'
        : 'The demo tracker has stopped and its temporary data is gone. `npm run demo -- --serve` keeps it running; DATA_DIR=./demo-data keeps the data.',
      '',
    );
  }
  return lines.join('\n') + '\n';
}
