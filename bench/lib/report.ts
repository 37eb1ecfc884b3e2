import type { LoadFigures } from './scenario';

/** Prints rows as an aligned text table. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: (string | number)[]) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2);
}

/** The columns of a load run, on the console and in the results file. */
export const LOAD_HEADER = ['server', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'DB CPU µs/req', 'load avg before → after', 'answers (measured run)'];

export function loadRow(f: LoadFigures): (string | number)[] {
  const us = (v: number | null) => (v === null ? '-' : v.toFixed(1));
  const answers =
    Object.entries(f.statuses)
      .map(([c, n]) => `${c}: ${n}`)
      .join(', ') + (f.errors ? `, errors: ${f.errors}` : '');
  const label = f.processes > 1 ? `${f.label} (${f.processes} processes)` : f.label;
  return [
    label,
    Math.round(f.rps),
    f.p50,
    f.p99,
    us(f.cpuUsPerReq),
    us(f.dbCpuUsPerReq),
    `${f.loadBefore.toFixed(2)} → ${f.loadAfter.toFixed(2)}`,
    answers || '-',
  ];
}
