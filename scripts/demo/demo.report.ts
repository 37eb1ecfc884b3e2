import type { DemoClient } from './demo.client';
import type { ExpectedRow } from './demo.plan';
import { formatMoney, formatRatio, renderTable } from './demo.table';

export interface DemoMetrics {
  clicks: number;
  conversions: number;
  revenue: number;
  cost: number;
  profit: number;
  roi: number | null;
}

export interface DemoReportRow extends DemoMetrics {
  campaign: string;
  /** null where the geo data does not know the address. */
  country: string | null;
}

export interface DemoReport {
  rows: DemoReportRow[];
  /** The report API's own total over the campaign (not a sum made here). */
  totals: DemoMetrics;
}

interface ApiRow extends DemoMetrics {
  campaign: { id: string; name: string };
  country?: string | null;
}

const metrics = (r: DemoMetrics): DemoMetrics => ({
  clicks: r.clicks,
  conversions: r.conversions,
  revenue: r.revenue,
  cost: r.cost,
  profit: r.profit,
  roi: r.roi,
});

/** The campaign × country report and the campaign's totals, as GET /api/v1/reports answers them. */
export async function fetchReport(client: DemoClient, campaignId: string): Promise<DemoReport> {
  const id = encodeURIComponent(campaignId);
  const grouped = await client.api<{ rows: ApiRow[] }>('GET', `/reports?groupBy=campaign,country&campaign=${id}`);
  const total = await client.api<{ rows: ApiRow[] }>('GET', `/reports?groupBy=campaign&campaign=${id}`);
  const rows = grouped.rows
    .map((r) => ({ campaign: r.campaign.name, country: r.country ?? null, ...metrics(r) }))
    .sort((a, b) => b.clicks - a.clicks || (a.country ?? '~').localeCompare(b.country ?? '~'));
  const [t] = total.rows;
  const totals = t ? metrics(t) : { clicks: 0, conversions: 0, revenue: 0, cost: 0, profit: 0, roi: null };
  return { rows, totals };
}

export function reportTable(report: DemoReport): string {
  const money = (n: number) => formatMoney(n);
  const cells = (m: DemoMetrics) => [String(m.clicks), String(m.conversions), money(m.revenue), money(m.cost), money(m.profit), formatRatio(m.roi)];
  return renderTable(
    [
      { title: 'Campaign', align: 'left' },
      { title: 'Country', align: 'left' },
      { title: 'Clicks', align: 'right' },
      { title: 'Conversions', align: 'right' },
      { title: 'Revenue', align: 'right' },
      { title: 'Cost', align: 'right' },
      { title: 'Profit', align: 'right' },
      { title: 'ROI', align: 'right' },
    ],
    report.rows.map((r) => [r.campaign, r.country ?? '(unknown)', ...cells(r)]),
    ['Total', '', ...cells(report.totals)],
  );
}

const cents = (amount: number) => Math.round(amount * 100);

/**
 * Where the report differs from what the demo sent (by country and in total), in words; empty
 * when every click, conversion and amount is where it should be.
 */
export function reportProblems(report: DemoReport, expected: Map<string, ExpectedRow>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const check = (where: string, m: DemoMetrics, e: ExpectedRow) => {
    const pairs: [string, number, number][] = [
      ['clicks', m.clicks, e.clicks],
      ['conversions', m.conversions, e.conversions],
      ['revenue (cents)', cents(m.revenue), e.revenueCents],
      ['cost (cents)', cents(m.cost), e.costCents],
      ['profit (cents)', cents(m.profit), e.revenueCents - e.costCents],
    ];
    for (const [name, got, want] of pairs) if (got !== want) problems.push(`${where}: ${name} ${got}, sent ${want}`);
  };
  for (const row of report.rows) {
    const key = row.country ?? '(unknown)';
    seen.add(key);
    check(key, row, expected.get(key) ?? { country: key, clicks: 0, conversions: 0, revenueCents: 0, costCents: 0 });
  }
  for (const [country, e] of expected) if (!seen.has(country)) check(country, { clicks: 0, conversions: 0, revenue: 0, cost: 0, profit: 0, roi: null }, e);
  const sum = [...expected.values()].reduce(
    (s, e) => ({
      ...s,
      clicks: s.clicks + e.clicks,
      conversions: s.conversions + e.conversions,
      revenueCents: s.revenueCents + e.revenueCents,
      costCents: s.costCents + e.costCents,
    }),
    { country: 'total', clicks: 0, conversions: 0, revenueCents: 0, costCents: 0 },
  );
  check('total', report.totals, sum);
  return problems;
}
