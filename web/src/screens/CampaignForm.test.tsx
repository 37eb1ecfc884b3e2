import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../api/client';
import { AuthProvider } from '../auth';
import { campaignBody, campaignState, CampaignForm } from './CampaignForm';

function fakeLists() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const items =
        url.pathname === '/api/v1/offers'
          ? [
              { id: 'o1', name: 'Offer One', links: [] },
              { id: 'o2', name: 'Offer Two', links: [] },
            ]
          : [];
      return new Response(JSON.stringify({ items, nextCursor: null }), { headers: { 'content-type': 'application/json' } });
    }),
  );
}

function renderForm(scope: 'admin' | 'read', onSubmit: (b: unknown) => Promise<unknown>, initial?: Record<string, unknown>) {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthProvider initial={{ scope, name: 'k' }}>
        <CampaignForm creating={!initial} initial={initial} onSubmit={onSubmit} />
      </AuthProvider>
    </QueryClientProvider>,
  );
}

describe('campaign form and rules editor', () => {
  beforeEach(fakeLists);
  afterEach(() => vi.unstubAllGlobals());

  it('builds the body with weighted destinations, a cap and an ordered rule', async () => {
    const user = userEvent.setup();
    const submit = vi.fn(async (_body: unknown) => ({ id: 'c1' }));
    renderForm('admin', submit);
    await user.type(screen.getByLabelText('Name'), 'My campaign');
    const first = screen.getByRole('group', { name: 'Destinations 1' });
    await within(first).findByRole('option', { name: 'Offer One' });
    await user.selectOptions(within(first).getByLabelText('Offer'), 'o1');
    await user.clear(within(first).getByLabelText('Weight'));
    await user.type(within(first).getByLabelText('Weight'), '70');
    await user.type(within(first).getByLabelText('Cap: clicks'), '1000');
    await user.click(screen.getAllByRole('button', { name: 'Add destination' })[0]);
    const second = screen.getByRole('group', { name: 'Destinations 2' });
    await user.selectOptions(within(second).getByLabelText('Offer'), 'o2');
    await user.clear(within(second).getByLabelText('Weight'));
    await user.type(within(second).getByLabelText('Weight'), '30');

    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    const rule1 = screen.getByRole('group', { name: 'Rule 1' });
    await user.type(within(rule1).getByLabelText('Rule name'), 'US mobile');
    await user.type(within(rule1).getByLabelText('Country'), 'US, CA');
    await user.type(within(rule1).getByLabelText('Device type'), 'mobile');
    await user.selectOptions(within(rule1).getByLabelText('Bot'), 'false');
    await user.type(within(rule1).getByLabelText('Parameters'), 'utm_source=blog,news');
    await user.selectOptions(within(rule1).getByLabelText('Offer'), 'o2');
    const rule2 = screen.getByRole('group', { name: 'Rule 2' });
    await user.type(within(rule2).getByLabelText('Rule name'), 'Night');
    await user.type(within(rule2).getByLabelText('Hour from'), '22');
    await user.type(within(rule2).getByLabelText('Hour to'), '6');
    // Reorder: Night first.
    await user.click(within(rule2).getByRole('button', { name: 'Move up' }));

    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(submit).toHaveBeenCalledTimes(1);
    const body = submit.mock.calls[0][0] as Record<string, unknown>;
    expect(body.name).toBe('My campaign');
    expect(body.destinations).toEqual([
      { offerId: 'o1', weight: 70, cap: { per: 'day', clicks: 1000 } },
      { offerId: 'o2', weight: 30 },
    ]);
    expect(body.rules).toEqual([
      { name: 'Night', when: { hour: { from: 22, to: 6 } }, destinations: [{ offerId: null, weight: 100 }] },
      {
        name: 'US mobile',
        when: { country: ['US', 'CA'], deviceType: ['mobile'], bot: false, param: { utm_source: ['blog', 'news'] } },
        destinations: [{ offerId: 'o2', weight: 100 }],
      },
    ]);
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
  });

  it('shows the server validation error next to the field it names', async () => {
    const user = userEvent.setup();
    const submit = vi.fn(async () => {
      throw new ApiError(400, 'VALIDATION_FAILED', 'rules[0].when.country: unknown country', {
        'rules.0.when.country': ['unknown country XX'],
        name: ['must not be empty'],
      });
    });
    renderForm('admin', submit);
    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    await user.type(within(screen.getByRole('group', { name: 'Rule 1' })).getByLabelText('Country'), 'XX');
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    const country = within(screen.getByRole('group', { name: 'Rule 1' })).getByLabelText('Country');
    expect(country).toHaveAttribute('aria-invalid', 'true');
    expect(country).toHaveAccessibleDescription('unknown country XX');
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('must not be empty');
    expect(screen.getByRole('alert')).toHaveTextContent('VALIDATION_FAILED');
  });

  it('keeps criteria it has no field for when editing, and a read key cannot submit', async () => {
    const stored = {
      id: 'c1',
      key: 'k1',
      name: 'Old',
      status: 'active',
      cost: { model: 'cpc', amount: '0.05', currency: 'USD' },
      trackingUrl: 'http://t/c/k1?sub={sub}',
      destinations: [{ offerId: 'o1', weight: 100 }],
      rules: [{ name: 'Not US', when: { not: { country: ['US'] }, weekday: [1, 2] }, destinations: [{ offerId: 'o2', weight: 100 }] }],
    };
    expect(campaignBody(campaignState(stored), false)).toMatchObject({
      key: 'k1',
      rules: [{ name: 'Not US', when: { weekday: [1, 2], not: { country: ['US'] } } }],
      cost: { model: 'cpc', amount: '0.05' },
    });
    const submit = vi.fn();
    renderForm('read', submit, stored);
    expect(screen.getByRole('button', { name: 'Save campaign' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Add rule' })).toBeDisabled();
    expect(screen.getByLabelText('Tracking link')).toHaveTextContent('http://t/c/k1?sub={sub}');
  });
});
