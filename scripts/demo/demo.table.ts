export interface Column {
  title: string;
  align: 'left' | 'right';
}

/** An aligned text table: header, rule, rows, rule, footer. */
export function renderTable(columns: readonly Column[], rows: readonly string[][], footer: readonly string[]): string {
  const all = [columns.map((c) => c.title), ...rows, footer];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (columns[i].align === 'left' ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.title)), rule, ...rows.map(line), rule, line(footer)].join('\n') + '\n';
}

/** `1234.5` -> `1,234.50`. */
export function formatMoney(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const [whole, frac] = Math.abs(amount).toFixed(2).split('.');
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** A ratio as a signed percentage; `n/a` where it has no divisor. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return 'n/a';
  const pct = (ratio * 100).toFixed(1);
  return `${ratio > 0 ? '+' : ''}${pct}%`;
}
