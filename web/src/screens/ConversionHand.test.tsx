import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { AuthProvider } from '../auth';
import { ChangeConversion, UploadConversions } from './ConversionHand';

interface Sent {
  method: string;
  path: string;
  contentType: string | null;
  body: string;
}

/** Answers every request with `answer(sent)` and records what was sent. */
function fakeApi(answer: (s: Sent) => { status: number; body: unknown }): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const req = input as Request;
      const s = { method: req.method, path: new URL(req.url).pathname, contentType: req.headers.get('content-type'), body: await req.text() };
      sent.push(s);
      const { status, body } = answer(s);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return sent;
}

function renderWith(scope: 'admin' | 'read', ui: ReactNode) {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthProvider initial={{ scope, name: 'k' }}>{ui}</AuthProvider>
    </QueryClientProvider>,
  );
}

describe('conversions by hand', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends only what changed, and shows a refused field next to it', async () => {
    const user = userEvent.setup();
    const sent = fakeApi(() => ({
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'invalid', fields: [{ field: 'currency', message: 'currency goes with a payout' }] },
    }));
    renderWith('admin', <ChangeConversion id="c1" status="pending" />);
    await user.selectOptions(screen.getByLabelText('Status'), 'approved');
    await user.type(screen.getByLabelText('Currency'), 'EUR');
    await user.type(screen.getByLabelText('Note'), 'checked with the network');
    await user.click(screen.getByRole('button', { name: 'Save change' }));
    expect(await screen.findByText('currency goes with a payout')).toBeInTheDocument();
    expect(screen.getByLabelText('Currency')).toHaveAttribute('aria-invalid', 'true');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'PATCH', path: '/api/v1/conversions/c1' });
    expect(JSON.parse(sent[0].body)).toEqual({ status: 'approved', currency: 'EUR', note: 'checked with the network' });
  });

  it('offers no change to a read-only key', () => {
    fakeApi(() => ({ status: 200, body: {} }));
    renderWith('read', <ChangeConversion id="c1" status="pending" />);
    expect(screen.getByLabelText('Status')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Save change' })).toBeDisabled();
  });

  it('uploads pasted CSV as text/csv and lists the rejected rows with their reason', async () => {
    const user = userEvent.setup();
    const sent = fakeApi(() => ({
      status: 200,
      body: {
        rows: 2,
        accepted: 1,
        updated: 0,
        duplicate: 0,
        unattributed: 0,
        rejected: 1,
        errors: [{ row: 2, code: 'INVALID_AMOUNT', message: '<b>x</b> is not an amount' }],
      },
    }));
    renderWith('admin', <UploadConversions />);
    await user.click(screen.getByText('Upload conversions (CSV or JSON)'));
    const csv = 'clickId,transactionId,payout\nabc,T-1,5\nabd,T-2,<b>x</b>';
    await user.click(screen.getByLabelText('Rows'));
    await user.paste(csv);
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByRole('status')).toHaveTextContent('2 rows: 1 accepted, 0 updated, 0 duplicate, 0 unattributed, 1 rejected.');
    const rejected = screen.getByRole('table', { name: 'Rejected rows' });
    expect(within(rejected).getByText('INVALID_AMOUNT')).toBeInTheDocument();
    // The reason is text, never markup.
    expect(within(rejected).getByText('<b>x</b> is not an amount')).toBeInTheDocument();
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/v1/conversions/upload', contentType: 'text/csv', body: csv });
  });

  it('sends a JSON array as JSON', async () => {
    const user = userEvent.setup();
    const sent = fakeApi(() => ({ status: 200, body: { rows: 1, accepted: 1, updated: 0, duplicate: 0, unattributed: 0, rejected: 0, errors: [] } }));
    renderWith('admin', <UploadConversions />);
    await user.click(screen.getByText('Upload conversions (CSV or JSON)'));
    await user.click(screen.getByLabelText('Rows'));
    await user.paste('[{"clickId":"abc","payout":"5"}]');
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    await screen.findByRole('status');
    expect(sent[0]).toMatchObject({ contentType: 'application/json', body: '[{"clickId":"abc","payout":"5"}]' });
  });
});
