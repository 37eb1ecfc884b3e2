import { Dimension } from './dimension.registry';
import { METRICS } from './report.metrics';
import { ReportRow } from './report.mapper';

/** Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell: neutralised against formula injection, then quoted per RFC 4180 when needed. */
export function textCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Numbers and booleans are ours, never a formula: a negative profit stays a number.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return textCell(String(value));
}

/** Column names: an entity dimension gives `<name>Id` and `<name>Name`, `rule` `ruleIndex` and `ruleName`, any other its name. */
export function csvHeader(groupBy: Dimension[]): string[] {
  return [
    ...groupBy.flatMap((d) => (d.kind === 'entity' ? [`${d.name}Id`, `${d.name}Name`] : d.kind === 'rule' ? ['ruleIndex', 'ruleName'] : [d.name])),
    ...METRICS,
  ];
}

/** The report as CSV (RFC 4180: CRLF line ends, a header line first). */
export function toCsv(groupBy: Dimension[], rows: ReportRow[]): string {
  const lines = [csvHeader(groupBy).map(textCell).join(',')];
  for (const row of rows) {
    const cells: unknown[] = [];
    for (const d of groupBy) {
      const v = row[d.name] as { id: string; name: string | null } | null | string | boolean;
      if (d.kind === 'entity') {
        const e = v as { id: string; name: string | null } | null;
        cells.push(e?.id ?? null, e?.name ?? null);
      } else if (d.kind === 'rule') {
        const r = v as unknown as { index: number; name: string } | null;
        cells.push(r?.index ?? null, r?.name ?? null);
      } else cells.push(v);
    }
    for (const m of METRICS) cells.push(row[m]);
    lines.push(cells.map(cell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
