import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, useState } from 'react';
import { formatMetric, signClass } from '../lib/format';
import { dimensionLabel, filterValue, METRIC_COLUMNS, valueLabel, type ReportRow } from '../lib/report';

const helper = createColumnHelper<ReportRow>();

/**
 * Above this many rows only the rows in view (and some either side) are in the document: 1,000
 * campaigns of 14 cells each took over a second to render whole. Below it every row is there.
 */
export const WINDOW_FROM = 200;
/** A body row's height when windowed (fixed by the stylesheet, so the scroll height is exact). */
const ROW_PX = 31;

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
      }),
      ...METRIC_COLUMNS.map((m) =>
        helper.accessor((r) => r[m.id], {
          id: m.id,
          header: m.label,
          sortingFn: (a, b, id) => sortNumber(a.getValue(id)) - sortNumber(b.getValue(id)),
          sortDescFirst: true,
        }),
      ),
    ],
    [groupBy],
  );
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const bodyRows = table.getRowModel().rows;
  const windowed = bodyRows.length > WINDOW_FROM;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: windowed ? bodyRows.length : 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 15,
    initialRect: { width: 0, height: 20 * ROW_PX },
    // A box not laid out yet (or a test's DOM, which has no layout) still shows a screenful.
    observeElementRect: (instance, done) => observeElementRect(instance, (rect) => done(rect.height > 0 ? rect : { width: rect.width, height: 20 * ROW_PX })),
  });
  const visible = windowed ? virtualizer.getVirtualItems() : [];
  const above = visible.length ? visible[0].start : 0;
  const below = visible.length ? virtualizer.getTotalSize() - visible[visible.length - 1].end : 0;
  const span = METRIC_COLUMNS.length + 1;

  return (
    <div
      ref={scroller}
      className={windowed ? 'report-scroll windowed' : 'report-scroll'}
      // A scrolling region must be reachable from the keyboard.
      tabIndex={windowed ? 0 : undefined}
      role={windowed ? 'region' : undefined}
      aria-label={windowed ? (props.caption ?? 'Report') : undefined}
    >
      <table className="report" data-rows={rows.length} aria-rowcount={windowed ? rows.length + 1 + (totals ? 1 : 0) : undefined}>
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
          {windowed ? (
            <>
              {above > 0 && (
                <tr aria-hidden="true" className="spacer">
                  <td colSpan={span} style={{ height: above }} />
                </tr>
              )}
              {visible.map((item) => (
                <BodyRow key={bodyRows[item.index].id} row={bodyRows[item.index].original} groupBy={groupBy} onDrill={onDrill} rowIndex={item.index + 2} />
              ))}
              {below > 0 && (
                <tr aria-hidden="true" className="spacer">
                  <td colSpan={span} style={{ height: below }} />
                </tr>
              )}
            </>
          ) : (
            bodyRows.map((row) => <BodyRow key={row.id} row={row.original} groupBy={groupBy} onDrill={onDrill} />)
          )}
          {!rows.length && (
            <tr>
              <td colSpan={span}>No data for this range.</td>
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
    </div>
  );
}

/**
 * One body row, rendered straight from the API's row (no per-cell render context): 1,000 rows of
 * 11 cells are the report's worst case. Memoised, so re-sorting moves rows without re-rendering them.
 */
const BodyRow = memo(function BodyRow({
  row,
  groupBy,
  onDrill,
  rowIndex,
}: {
  row: ReportRow;
  groupBy: string;
  onDrill?: (value: string, label: string) => void;
  /** The row's place in the whole table (ARIA), when only some rows are in the document. */
  rowIndex?: number;
}) {
  const v = row[groupBy];
  const label = valueLabel(v);
  const value = filterValue(groupBy, v);
  return (
    <tr aria-rowindex={rowIndex}>
      <th scope="row">
        {onDrill && value !== null ? (
          <button type="button" className="link" onClick={() => onDrill(value, label)}>
            {label}
          </button>
        ) : (
          label
        )}
      </th>
      {METRIC_COLUMNS.map((m) => {
        const raw = row[m.id];
        const cls = m.signed ? signClass(raw) : undefined;
        return (
          <td key={m.id} className={cls ? `num ${cls}` : 'num'} data-col={m.id} data-raw={raw === null || raw === undefined ? '' : String(raw)}>
            {formatMetric(m.kind, raw)}
          </td>
        );
      })}
    </tr>
  );
});
