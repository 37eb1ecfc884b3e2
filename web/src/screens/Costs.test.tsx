import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthProvider } from '../auth';
import { addDays, browserZone, midnightIn } from '../lib/time';
import { Costs } from './Costs';

describe('cost updates', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sets a cost over whole days in the browser zone and lists the updates made', async () => {
    const posted: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const path = new URL(req.url).pathname;
        if (req.method === 'POST') posted.push(JSON.parse(await req.text()));
        const body =
          path === '/api/v1/campaigns'
            ? { items: [{ id: 'c1', name: 'Summer <sale>' }], nextCursor: null }
            : path === '/api/v1/costs' && req.method === 'GET'
              ? {
                  items: [
                    {
                      id: 'u1',
                      campaignId: 'c1',
                      from: '2026-11-01T00:00:00Z',
                      to: '2026-11-03T00:00:00Z',
                      amount: 125.4,
                      currency: 'EUR',
                      visits: 42,
                      created_at: '2026-11-03T10:00:00Z',
                    },
                  ],
                  nextCursor: null,
                }
              : { id: 'u2' };
        return new Response(JSON.stringify(body), { status: req.method === 'POST' ? 201 : 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    const user = userEvent.setup();
    render(
      <QueryClientProvider client={new QueryClient()}>
        <AuthProvider initial={{ scope: 'admin', name: 'k' }}>
          <Costs />
        </AuthProvider>
      </QueryClientProvider>,
    );
    const updates = screen.getByRole('table', { name: 'Cost updates' });
    expect(await within(updates).findByText('Summer <sale>')).toBeInTheDocument();
    expect(within(updates).getByText('42')).toBeInTheDocument();
    await screen.findByRole('option', { name: 'Summer <sale>' });
    await user.selectOptions(screen.getByLabelText('Campaign'), 'c1');
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('Last day (inclusive)'), { target: { value: '2026-11-02' } });
    await user.type(screen.getByLabelText('Amount'), '125.40');
    await user.clear(screen.getByLabelText('Currency'));
    await user.type(screen.getByLabelText('Currency'), 'EUR');
    await user.click(screen.getByRole('button', { name: 'Set cost' }));
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    const tz = browserZone();
    expect(posted[0]).toEqual({
      campaignId: 'c1',
      from: midnightIn('2026-11-01', tz).toISOString(),
      to: midnightIn(addDays('2026-11-02', 1), tz).toISOString(),
      amount: '125.40',
      currency: 'EUR',
    });
  });
});
