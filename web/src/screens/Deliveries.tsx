import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { More, Select } from '../components/Bits';
import { ErrorNote } from '../components/ErrorNote';
import { formatTime } from '../lib/format';
import { useList } from '../lib/lists';
import { href } from '../lib/route';

interface Message {
  id: string;
  conversionId: string;
  kind: string;
  target: string | null;
  method: string;
  url: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt?: string;
}
interface Attempt {
  id: string;
  attempt: number;
  status: string;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  responseSnippet: string | null;
  createdAt: string;
}

function Attempts({ id }: { id: string }) {
  const q = useQuery({ queryKey: ['message', id], queryFn: () => api.get<{ attemptLog: Attempt[] }>('/api/v1/deliveries/messages/{id}', undefined, { id }) });
  if (q.error) return <ErrorNote error={q.error} />;
  return (
    <table aria-label={`Attempts of ${id}`}>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Time</th>
          <th scope="col">Outcome</th>
          <th scope="col">HTTP</th>
          <th scope="col">ms</th>
          <th scope="col">Error or answer</th>
        </tr>
      </thead>
      <tbody>
        {(q.data?.attemptLog ?? []).map((a) => (
          <tr key={a.id}>
            <td>{a.attempt}</td>
            <td>{formatTime(a.createdAt)}</td>
            <td>{a.status}</td>
            <td>{a.statusCode ?? '—'}</td>
            <td>{a.latencyMs ?? '—'}</td>
            <td className="wrap">{a.error ?? a.responseSnippet ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Row({ m }: { m: Message }) {
  const { canWrite } = useAuth();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const retry = useMutation({
    mutationFn: () => api.post<Message>('/api/v1/deliveries/{id}/retry', {}, { id: m.id }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['/api/v1/deliveries/messages'] }),
  });
  return (
    <>
      <tr>
        <td>{m.kind === 'traffic_source' ? 'source postback' : 'subscription'}</td>
        <td className="wrap">
          {m.method} {m.url}
        </td>
        <td>
          <a href={href('conversions', m.conversionId)}>{m.conversionId}</a>
        </td>
        <td>{m.status}</td>
        <td className="num">{m.attempts}</td>
        <td>{m.nextAttemptAt ? formatTime(m.nextAttemptAt) : '—'}</td>
        <td className="actions">
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            Attempts
          </button>
          <button type="button" disabled={!canWrite || retry.isPending || m.status === 'blocked'} onClick={() => retry.mutate()}>
            Retry
          </button>
        </td>
      </tr>
      {(open || retry.error || retry.data) && (
        <tr>
          <td colSpan={7}>
            {retry.data && <p role="status">Queued again: {retry.data.status}</p>}
            {retry.error && <ErrorNote error={retry.error} />}
            {open && <Attempts id={m.id} />}
          </td>
        </tr>
      )}
    </>
  );
}

/** Outbound messages (SPEC §7): attempts, next retry and a Retry action. */
export function DeliveriesScreen() {
  const [status, setStatus] = useState('');
  const list = useList<Message>('/api/v1/deliveries/messages', { status });
  return (
    <section aria-labelledby="del-title">
      <h1 id="del-title">Deliveries</h1>
      <div className="toolbar">
        <Select
          label="Status"
          value={status}
          onChange={setStatus}
          options={[['', 'All'], ...['pending', 'delivered', 'dead', 'blocked', 'paused', 'cancelled'].map((s): [string, string] => [s, s])]}
        />
      </div>
      {list.error && <ErrorNote error={list.error} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Request</th>
            <th scope="col">Conversion</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Next retry</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((m) => (
            <Row key={m.id} m={m} />
          ))}
          {!list.loading && !list.items.length && (
            <tr>
              <td colSpan={7}>No messages.</td>
            </tr>
          )}
        </tbody>
      </table>
      <More show={list.hasMore} onClick={list.more} />
    </section>
  );
}
