import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../support/test-app';
import { launch } from './browser';

/**
 * `npm run bench:dashboard`: the first screen's JavaScript, gzipped, and the time the campaign
 * report takes to render 1,000 campaigns in Chromium (from the answer's arrival to the first screenful of rows in the
 * DOM), median of 5. The report answer is served by the page's own route handler so only the
 * browser's work is timed. Prints the figures; asserts nothing.
 */
async function main() {
  const dist = join(__dirname, '..', '..', '..', 'web', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/src="\/(assets\/[^"]+\.js)"/g), ...html.matchAll(/href="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const gz = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(dist, s)), { level: 9 }).length, 0);
  const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  console.log(`first-screen JavaScript: ${scripts.join(', ')} = ${(gz / 1024).toFixed(1)} KiB gzipped (${all.length} JS file(s) in the build)`);

  const t = await startTestApp();
  const browser = await launch();
  try {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      campaign: { id: `c${i}`, name: `Campaign ${i}` },
      clicks: 1000 + i,
      uniqueClicks: 900 + i,
      botClicks: 0,
      conversions: i % 50,
      approved: i % 50,
      pending: 0,
      declined: 0,
      revenue: (i % 50) * 12.5,
      cost: 100 + i / 10,
      profit: (i % 50) * 12.5 - 100 - i / 10,
      roi: ((i % 50) * 12.5 - 100 - i / 10) / (100 + i / 10),
      cr: (i % 50) / (1000 + i),
      epc: ((i % 50) * 12.5) / (1000 + i),
      cpa: i % 50 ? (100 + i / 10) / (i % 50) : null,
    }));
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      // The harness evaluates its probes as strings, which the dashboard's CSP (rightly) forbids.
      const page = await browser.newPage({ bypassCSP: true });
      await page.route('**/api/v1/reports?*', async (route) => {
        const url = new URL(route.request().url());
        const by = url.searchParams.get('groupBy');
        const body = by === 'campaign' ? { rows, missingRates: [] } : by ? { rows: [], missingRates: [] } : { rows: [rows[0]], missingRates: [] };
        if (by === 'campaign') await page.evaluate('window.__answeredAt = performance.now()');
        await route.fulfill({ json: body });
      });
      await page.goto(`${t.url}/`);
      await page.getByLabel('API key').fill(t.adminKey);
      await page.getByLabel('API key').press('Enter');
      await page.waitForFunction(
        `document.querySelector("table.report[data-rows='1000']") && document.querySelectorAll("table.report tbody tr:not(.spacer)").length >= 10`,
        undefined,
        { timeout: 60_000 },
      );
      const ms = (await page.evaluate('performance.now() - window.__answeredAt')) as number;
      times.push(ms);
      await page.close();
    }
    times.sort((a, b) => a - b);
    console.log(`1,000-campaign report render: median ${times[2].toFixed(0)} ms (runs: ${times.map((x) => x.toFixed(0)).join(', ')} ms)`);
  } finally {
    await browser.close();
    await t.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
