import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { More, Raw, Select } from '../components/Bits';
import { ErrorNote } from '../components/ErrorNote';
import { formatTime } from '../lib/format';
import { useList } from '../lib/lists';
import { href } from '../lib/route';

export interface PostbackEntry {
  id: string;
  createdAt: string;
  status: string;
  code: string | null;
  reason: string | null;
  notes: string[];
  endpoint: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  ip: string | null;
  conversionId: string | null;
  replayOf: string | null;
  replayedBy: string | null;
  replayable: boolean;
}

/** The raw call as one text: request line, headers, body. */
export function rawCall(p: PostbackEntry): string {
  const head = Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  return [`${p.method} ${p.url}`, ...head, '', p.body ?? ''].join('\n');
}

function Entry({ p }: { p: PostbackEntry }) {
  const { canWrite } = useAuth();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const replay = useMutation({
    mutationFn: () => api.post<{ status: string; code?: string; message?: string; conversionId?: string }>('/api/v1/postbacks/{id}/replay', {}, { id: p.id }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['/api/v1/postbacks'] }),
  });
  return (
    <>
      <tr>
        <td>{formatTime(p.createdAt)}</td>
        <td>{p.endpoint}</td>
        <td>
          <span className={`badge ${p.status}`}>{p.status}</span>
        </td>
        <td>{p.code ?? ''}</td>
        <td className="wrap">{p.reason ?? ''}</td>
        <td>{p.conversionId ? <a href={href('conversions', p.conversionId)}>{p.conversionId}</a> : ''}</td>
        <td className="actions">
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide call' : 'Show call'}
          </button>
          {(p.status === 'rejected' || p.status === 'unattributed') && (
            <button
              type="button"
              disabled={!canWrite || !p.replayable || replay.isPending}
              title={!canWrite ? 'A read key cannot replay' : !p.replayable ? 'Not replayable' : undefined}
              onClick={() => replay.mutate()}
            >
              Replay
            </button>
          )}
        </td>
      </tr>
      {(open || replay.data || replay.error) && (
        <tr>
          <td colSpan={7}>
            {replay.data && (
              <p role="status">
                Replayed: {replay.data.status}
                {replay.data.code ? ` (${replay.data.code}: ${replay.data.message ?? ''})` : ''}
              </p>
            )}
            {replay.error && <ErrorNote error={replay.error} />}
            {open && (
              <>
                {p.notes?.length ? <p>Notes: {p.notes.join('; ')}</p> : null}
                {p.replayOf && <p>Replay of {p.replayOf}</p>}
                <Raw value={rawCall(p)} label={`Raw call ${p.id}`} />
              </>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** The inbound log (SPEC §6): every postback and pixel call with what became of it; Replay for rejected and unattributed ones. */
export function PostbacksScreen() {
  const [status, setStatus] = useState('');
  const list = useList<PostbackEntry>('/api/v1/postbacks', { status });
  return (
    <section aria-labelledby="pb-title">
      <h1 id="pb-title">Inbound log</h1>
      <div className="toolbar">
        <Select
          label="Outcome"
          value={status}
          onChange={setStatus}
          options={[['', 'All'], ...['accepted', 'updated', 'duplicate', 'unattributed', 'rejected'].map((s): [string, string] => [s, s])]}
        />
      </div>
      {list.error && <ErrorNote error={list.error} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Outcome</th>
            <th scope="col">Code</th>
            <th scope="col">Reason</th>
            <th scope="col">Conversion</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((p) => (
            <Entry key={p.id} p={p} />
          ))}
          {!list.loading && !list.items.length && (
            <tr>
              <td colSpan={7}>No calls.</td>
            </tr>
          )}
        </tbody>
      </table>
      <More show={list.hasMore} onClick={list.more} />
    </section>
  );
}
