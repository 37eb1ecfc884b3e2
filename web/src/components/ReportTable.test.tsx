import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReportTable, WINDOW_FROM } from './ReportTable';

const rows = [
  {
    campaign: { id: 'c1', name: 'Alpha' },
    clicks: 100,
    uniqueClicks: 90,
    conversions: 5,
    cr: 0.05,
    revenue: 50,
    cost: 20,
    profit: 30,
    roi: 1.5,
    epc: 0.5,
    cpa: 4,
    landerClicks: 40,
    landerCtr: 0.4,
    timeToConvert: 200,
  },
  {
    campaign: { id: 'c2', name: 'Beta' },
    clicks: 300,
    uniqueClicks: 250,
    conversions: 1,
    cr: 0.00333,
    revenue: 10,
    cost: 40,
    profit: -30,
    roi: -0.75,
    epc: 0.0333,
    cpa: 40,
  },
  {
    campaign: { id: 'c3', name: '<img src=x onerror=alert(1)>' },
    clicks: 0,
    uniqueClicks: 0,
    conversions: 0,
    cr: null,
    revenue: 0,
    cost: 0,
    profit: 0,
    roi: null,
    epc: null,
    cpa: null,
  },
];
const totals = { clicks: 400, uniqueClicks: 340, conversions: 6, cr: 0.015, revenue: 60, cost: 60, profit: 0, roi: 0, epc: 0.15, cpa: 10 };

function bodyNames(): string[] {
  const body = screen.getAllByRole('rowgroup')[1];
  return within(body)
    .getAllByRole('row')
    .map((r) => within(r).getAllByRole('rowheader')[0].textContent ?? '');
}

describe('ReportTable', () => {
  it('shows one row per value with the API figures, most clicks first, and a totals row', () => {
    render(<ReportTable groupBy="campaign" rows={rows} totals={totals} />);
    expect(bodyNames()).toEqual(['Beta', 'Alpha', '<img src=x onerror=alert(1)>']);
    const alpha = screen.getByRole('rowheader', { name: 'Alpha' }).closest('tr')!;
    const cells = within(alpha)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells).toEqual(['100', '90', '5', '5.00%', '50.00', '20.00', '30.00', '150.00%', '0.50', '4.00', '40', '40.00%', '3m 20s']);
    const foot = screen.getByRole('rowheader', { name: 'Total' }).closest('tr')!;
    expect(within(foot).getAllByRole('cell')[0]).toHaveTextContent('400');
    expect(within(foot).getAllByRole('cell')[0]).toHaveAttribute('data-raw', '400');
    // Nulls (no divisor) are a dash, never a made-up zero.
    const empty = screen.getByRole('rowheader', { name: '<img src=x onerror=alert(1)>' }).closest('tr')!;
    expect(within(empty).getAllByRole('cell')[3]).toHaveTextContent('—');
  });

  it('renders names as text, never markup', () => {
    const { container } = render(<ReportTable groupBy="campaign" rows={rows} totals={totals} />);
    expect(container.querySelector('img')).toBeNull();
  });

  it('colours profit and ROI by sign', () => {
    render(<ReportTable groupBy="campaign" rows={rows} totals={totals} />);
    const cell = (name: string, col: string) => screen.getByRole('rowheader', { name }).closest('tr')!.querySelector(`td[data-col="${col}"]`)!;
    expect(cell('Alpha', 'profit')).toHaveClass('pos');
    expect(cell('Beta', 'profit')).toHaveClass('neg');
    expect(cell('Beta', 'roi')).toHaveClass('neg');
    expect(cell('Alpha', 'revenue')).not.toHaveClass('pos');
    expect(cell('<img src=x onerror=alert(1)>', 'profit')).not.toHaveClass('pos');
    expect(cell('<img src=x onerror=alert(1)>', 'profit')).not.toHaveClass('neg');
  });

  it('sorts by a column on click, numerically, and reverses on a second click', async () => {
    const user = userEvent.setup();
    render(<ReportTable groupBy="campaign" rows={rows} totals={totals} />);
    await user.click(screen.getByRole('button', { name: /^Profit/ }));
    expect(bodyNames()).toEqual(['Alpha', '<img src=x onerror=alert(1)>', 'Beta']);
    expect(screen.getByRole('columnheader', { name: /Profit/ })).toHaveAttribute('aria-sort', 'descending');
    await user.click(screen.getByRole('button', { name: /^Profit/ }));
    expect(bodyNames()).toEqual(['Beta', '<img src=x onerror=alert(1)>', 'Alpha']);
    await user.click(screen.getByRole('button', { name: /^Campaign/ }));
    expect(bodyNames()[0]).toBe('<img src=x onerror=alert(1)>');
  });

  it('offers drill-down on values that can be filtered on, with the filter value', async () => {
    const user = userEvent.setup();
    const drill = vi.fn();
    render(
      <ReportTable
        groupBy="country"
        rows={[
          { country: 'US', clicks: 1 },
          { country: null, clicks: 2 },
        ]}
        onDrill={drill}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'US' }));
    expect(drill).toHaveBeenCalledWith('US', 'US');
    // A null value cannot be asked for: plain text.
    expect(screen.queryByRole('button', { name: '(none)' })).toBeNull();
    expect(screen.getByRole('rowheader', { name: '(none)' })).toBeInTheDocument();
  });

  it('keeps only the rows in view in the document when the report is long, sorted over all rows', async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 1000 }, (_, i) => ({ campaign: { id: `c${i}`, name: `Campaign ${i}` }, clicks: i, profit: 1000 - i }));
    render(<ReportTable groupBy="campaign" rows={many} totals={{ clicks: 499500 }} caption="By campaign" />);
    const table = screen.getByRole('table');
    expect(table).toHaveAttribute('aria-rowcount', '1002');
    const shown = bodyNames().filter(Boolean);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(100);
    // Most clicks first: the last campaign, at the top of the whole table.
    expect(shown[0]).toBe('Campaign 999');
    expect(screen.getByRole('rowheader', { name: 'Campaign 999' }).closest('tr')).toHaveAttribute('aria-rowindex', '2');
    // The scrolling region can be reached from the keyboard and is named.
    expect(screen.getByRole('region', { name: 'By campaign' })).toHaveAttribute('tabindex', '0');
    await user.click(screen.getByRole('button', { name: /^Profit/ }));
    expect(bodyNames().filter(Boolean)[0]).toBe('Campaign 0');
    expect(within(screen.getByRole('rowheader', { name: 'Total' }).closest('tr')!).getAllByRole('cell')[0]).toHaveTextContent('499,500');
  });

  it(`renders every row up to ${WINDOW_FROM}`, () => {
    const some = Array.from({ length: WINDOW_FROM }, (_, i) => ({ campaign: { id: `c${i}`, name: `Campaign ${i}` }, clicks: i }));
    render(<ReportTable groupBy="campaign" rows={some} />);
    expect(bodyNames()).toHaveLength(WINDOW_FROM);
    expect(screen.queryByRole('region')).toBeNull();
  });
});
