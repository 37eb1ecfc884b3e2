import { QueryClient } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../App';

vi.mock('uplot', () => {
  class FakePlot {
    static tzDate = (d: Date) => d;
    destroy() {}
  }
  return { default: FakePlot };
});

/** A fake API: answers /me and /reports from the query, records every report query asked. */
function fakeApi(scope: 'admin' | 'read' = 'admin') {
  const asked: URLSearchParams[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input), 'http://t');
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/api/v1/me') return json({ scope, name: 'k' });
    if (url.pathname === '/api/v1/traffic-sources') return json({ items: [{ id: 's', params: [{ param: 'utm_source', as: 'source' }] }], nextCursor: null });
    if (url.pathname === '/api/v1/reports') {
      asked.push(url.searchParams);
      const by = url.searchParams.get('groupBy');
      const m = { clicks: 10, uniqueClicks: 9, conversions: 1, cr: 0.1, revenue: 5, cost: 2, profit: 3, roi: 1.5, epc: 0.5, cpa: 2 };
      if (!by) return json({ rows: [m], missingRates: [] });
      if (by === 'campaign') return json({ rows: [{ campaign: { id: 'c1', name: 'Camp One' }, ...m }], missingRates: [] });
      if (by === 'offer') return json({ rows: [{ offer: { id: 'o1', name: 'Offer One' }, ...m }], missingRates: [] });
      if (by === 'hour' || by === 'day') return json({ rows: [], missingRates: [] });
      return json({ rows: [{ [by]: `${by}-value`, ...m }], missingRates: [] });
    }
    return json({ statusCode: 404, code: 'NOT_FOUND', message: 'no' }, 404);
  });
  vi.stubGlobal('fetch', fetchMock);
  return asked;
}

function grouped(asked: URLSearchParams[], by: string) {
  return asked.filter((q) => q.get('groupBy') === by);
}

describe('campaign report', () => {
  beforeEach(() => {
    sessionStorage.setItem('tracker.apiKey', 'k');
    window.location.hash = '';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    sessionStorage.clear();
  });

  it('opens on the campaigns for the last 7 days, today included, in the browser zone', async () => {
    const asked = fakeApi();
    render(<App queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })} />);
    expect(await screen.findByRole('button', { name: 'Camp One' })).toBeInTheDocument();
    const q = grouped(asked, 'campaign')[0];
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(q.get('tz')).toBe(tz);
    const days = (Date.parse(q.get('to')!) - Date.parse(q.get('from')!)) / 86_400_000;
    expect(days).toBe(7);
    expect(screen.getByLabelText('Date range')).toHaveValue('last7');
    // The chart is asked for by hour or day on the same view.
    expect(grouped(asked, 'day').length).toBe(1);
  });

  it('drills down twice with filters, shows a breadcrumb, stops at three levels and goes back', async () => {
    const user = userEvent.setup();
    const asked = fakeApi();
    render(<App queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })} />);
    await user.click(await screen.findByRole('button', { name: 'Camp One' }));
    expect(await screen.findByRole('button', { name: 'Offer One' })).toBeInTheDocument();
    expect(grouped(asked, 'offer').at(-1)!.get('campaign')).toBe('c1');

    await user.selectOptions(screen.getByLabelText('Drill down by'), 'country');
    await user.click(screen.getByRole('button', { name: 'Offer One' }));
    expect(await screen.findByRole('button', { name: 'country-value' })).toBeInTheDocument();
    const q = grouped(asked, 'country').at(-1)!;
    expect([q.get('campaign'), q.get('offer')]).toEqual(['c1', 'o1']);
    const crumbs = within(screen.getByRole('navigation', { name: 'Drill-down' }));
    expect(crumbs.getByRole('button', { name: 'Campaign: Camp One' })).toBeInTheDocument();
    expect(crumbs.getByText('Offer: Offer One')).toHaveAttribute('aria-current', 'page');

    // A remapped slot of a traffic source is a dimension too.
    await user.selectOptions(screen.getByLabelText('Drill down by'), 'source');
    await user.click(screen.getByRole('button', { name: 'country-value' }));
    expect(await screen.findByRole('rowheader', { name: 'source-value' })).toBeInTheDocument();
    // Three levels deep: no further drill.
    expect(screen.queryByRole('button', { name: 'source-value' })).toBeNull();
    expect(screen.getByLabelText('Drill down by')).toBeDisabled();

    await user.click(crumbs.getByRole('button', { name: 'Campaign: Camp One' }));
    expect(await screen.findByRole('button', { name: 'Offer One' })).toBeInTheDocument();
    await user.click(crumbs.getByRole('button', { name: 'All campaigns' }));
    expect(await screen.findByRole('button', { name: 'Camp One' })).toBeInTheDocument();
  });

  it('asks the API for the CSV of exactly the view shown', async () => {
    const user = userEvent.setup();
    const asked = fakeApi();
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    render(<App queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })} />);
    await user.click(await screen.findByRole('button', { name: 'Camp One' }));
    await screen.findByRole('button', { name: 'Offer One' });
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(asked.some((q) => q.get('format') === 'csv')).toBe(true));
    const csv = asked.find((q) => q.get('format') === 'csv')!;
    const view = grouped(asked, 'offer').find((q) => !q.get('format'))!;
    csv.delete('format');
    expect(Object.fromEntries(csv)).toEqual(Object.fromEntries(view));
  });
});
