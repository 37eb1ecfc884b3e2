import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { formatMetric, signClass } from '../lib/format';
import { dimensionLabel, filterValue, METRIC_COLUMNS, valueLabel, type ReportRow } from '../lib/report';

const helper = createColumnHelper<ReportRow>();

function sortNumber(v: unknown): number {
  const n = Number(v);
  return v === null || v === undefined || !Number.isFinite(n) ? -Infinity : n;
}

/**
 * The report as a table: one row per value of `groupBy`, the API's metrics, a totals row (the API's
 * ungrouped answer), sortable headers, profit and ROI coloured by sign. With `onDrill`, each row's
 * name opens it one level deeper.
 */
export function ReportTable(props: {
  groupBy: string;
  rows: ReportRow[];
  totals?: ReportRow | null;
  onDrill?: (value: string, label: string) => void;
  caption?: string;
}) {
  const { groupBy, rows, totals, onDrill } = props;
  const [sorting, setSorting] = useState<SortingState>([{ id: 'clicks', desc: true }]);
  const columns = useMemo(
    () => [
      helper.accessor((r) => valueLabel(r[groupBy]), {
        id: 'name',
        header: dimensionLabel(groupBy),
        sortingFn: 'alphanumeric',
        cell: (c) => {
          const v = c.row.original[groupBy];
          const label = valueLabel(v);
          const value = filterValue(groupBy, v);
          return onDrill && value !== null ? (
            <button type="button" className="link" onClick={() => onDrill(value, label)}>
              {label}
            </button>
          ) : (
            label
          );
        },
      }),
      ...METRIC_COLUMNS.map((m) =>
        helper.accessor((r) => r[m.id], {
          id: m.id,
          header: m.label,
          sortingFn: (a, b, id) => sortNumber(a.getValue(id)) - sortNumber(b.getValue(id)),
          sortDescFirst: true,
          cell: (c) => formatMetric(m.kind, c.getValue()),
        }),
      ),
    ],
    [groupBy, onDrill],
  );
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const signed = new Set(METRIC_COLUMNS.filter((m) => m.signed).map((m) => m.id));

  return (
    <table className="report">
      {props.caption && <caption>{props.caption}</caption>}
      <thead>
        {table.getHeaderGroups().map((hg) => (
          <tr key={hg.id}>
            {hg.headers.map((h) => {
              const dir = h.column.getIsSorted();
              return (
                <th
                  key={h.id}
                  scope="col"
                  aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                  className={h.id === 'name' ? undefined : 'num'}
                >
                  <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                    {flexRender(h.column.columnDef.header, h.getContext())}
                    <span aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getVisibleCells().map((cell) => {
              const raw = cell.column.id === 'name' ? undefined : row.original[cell.column.id];
              const cls = [cell.column.id === 'name' ? undefined : 'num', signed.has(cell.column.id) ? signClass(raw) : undefined].filter(Boolean).join(' ');
              return cell.column.id === 'name' ? (
                <th key={cell.id} scope="row">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </th>
              ) : (
                <td key={cell.id} className={cls || undefined} data-col={cell.column.id} data-raw={raw === null || raw === undefined ? '' : String(raw)}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              );
            })}
          </tr>
        ))}
        {!rows.length && (
          <tr>
            <td colSpan={METRIC_COLUMNS.length + 1}>No data for this range.</td>
          </tr>
        )}
      </tbody>
      {totals && (
        <tfoot>
          <tr className="totals">
            <th scope="row">Total</th>
            {METRIC_COLUMNS.map((m) => (
              <td
                key={m.id}
                className={['num', m.signed ? signClass(totals[m.id]) : undefined].filter(Boolean).join(' ')}
                data-col={m.id}
                data-raw={totals[m.id] == null ? '' : String(totals[m.id])}
              >
                {formatMetric(m.kind, totals[m.id])}
              </td>
            ))}
          </tr>
        </tfoot>
      )}
    </table>
  );
}
