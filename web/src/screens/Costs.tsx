import { useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../api/client';
import { More } from '../components/Bits';
import { ErrorNote } from '../components/ErrorNote';
import { useEntities } from '../lib/entities';
import { formatMetric, formatTime } from '../lib/format';
import { Form, SelectField, TextField } from '../lib/form';
import { useList } from '../lib/lists';
import { addDays, browserZone, dateIn, midnightIn } from '../lib/time';

type CostUpdate = Schemas['CostUpdateView'];

/**
 * Cost updates (SPEC §3): what a campaign really cost over some days, spread over its visits, and
 * the updates made so far. Days are whole days in the browser's time zone, the last one included.
 */
export function Costs() {
  const qc = useQueryClient();
  const tz = browserZone();
  const campaigns = useEntities('/api/v1/campaigns');
  const updates = useList<CostUpdate>('/api/v1/costs', {});
  const names = new Map((campaigns.data?.items ?? []).map((c) => [c.id, c.name]));
  const today = dateIn(tz);
  const day = /^\d{4}-\d{2}-\d{2}$/;
  return (
    <>
      <h2>Set a campaign's cost</h2>
      <p className="hint">
        The amount replaces the cost of the campaign's visits from the first day to the last ({tz}), spread evenly over them; reports show it at once.
      </p>
      <Form
        label="Cost update"
        initial={{ campaignId: '', from: today, to: today, amount: '', currency: 'USD' }}
        submitLabel="Set cost"
        onSubmit={(s) =>
          api.post('/api/v1/costs', {
            campaignId: s.campaignId,
            // A day the browser cannot read goes as written: the server names the field.
            from: day.test(s.from) ? midnightIn(s.from, tz).toISOString() : s.from,
            to: day.test(s.to) ? midnightIn(addDays(s.to, 1), tz).toISOString() : s.to,
            amount: s.amount.trim(),
            currency: s.currency.trim(),
          })
        }
        onSaved={() => void qc.invalidateQueries({ queryKey: ['/api/v1/costs'] })}
      >
        {() => (
          <>
            <SelectField
              path="campaignId"
              label="Campaign"
              options={[['', 'Choose…'], ...(campaigns.data?.items ?? []).map((c): [string, string] => [c.id, c.name])]}
            />
            <div className="row">
              <TextField path="from" label="First day" type="date" />
              <TextField path="to" label="Last day (inclusive)" type="date" />
              <TextField path="amount" label="Amount" placeholder="125.40" />
              <TextField path="currency" label="Currency" />
            </div>
          </>
        )}
      </Form>
      <h2>Updates made</h2>
      {updates.error && <ErrorNote error={updates.error} />}
      <table aria-label="Cost updates">
        <thead>
          <tr>
            <th scope="col">Made</th>
            <th scope="col">Campaign</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col" className="num">
              Visits
            </th>
          </tr>
        </thead>
        <tbody>
          {updates.items.map((u) => (
            <tr key={u.id}>
              <td>{formatTime(u.created_at)}</td>
              <td>{names.get(u.campaignId) ?? u.campaignId}</td>
              <td>{formatTime(u.from)}</td>
              <td>{formatTime(u.to)}</td>
              <td className="num">
                {formatMetric('money', u.amount)} {u.currency}
              </td>
              <td className="num">{u.visits}</td>
            </tr>
          ))}
          {!updates.loading && !updates.items.length && (
            <tr>
              <td colSpan={6}>No cost updates yet.</td>
            </tr>
          )}
        </tbody>
      </table>
      <More show={updates.hasMore} onClick={updates.more} />
    </>
  );
}
