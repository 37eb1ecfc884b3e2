import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ErrorNote } from '../components/ErrorNote';
import { AreaField, Form, SelectField, TextField } from '../lib/form';

/**
 * A conversion decided by hand (SPEC §3, admin key): a new status, payout (with its currency) and
 * a note, through the same transitions as a postback; the history names the key.
 */
export function ChangeConversion({ id, status }: { id: string; status: string }) {
  const qc = useQueryClient();
  return (
    <Form
      label="Change by hand"
      initial={{ status, payout: '', currency: '', note: '' }}
      submitLabel="Save change"
      onSubmit={(s) =>
        api.patch(
          '/api/v1/conversions/{id}',
          {
            ...(s.status !== status && { status: s.status }),
            ...(s.payout.trim() && { payout: s.payout.trim() }),
            ...(s.currency.trim() && { currency: s.currency.trim() }),
            ...(s.note.trim() && { note: s.note.trim() }),
          },
          { id },
        )
      }
      onSaved={() => {
        void qc.invalidateQueries({ queryKey: ['conversion', id] });
        void qc.invalidateQueries({ queryKey: ['/api/v1/conversions'] });
      }}
    >
      {() => (
        <>
          <div className="row">
            <SelectField
              path="status"
              label="Status"
              options={[
                ['pending', 'pending'],
                ['approved', 'approved'],
                ['declined', 'declined'],
              ]}
            />
            <TextField path="payout" label="Payout" placeholder="unchanged" />
            <TextField path="currency" label="Currency" placeholder="with a payout" />
          </div>
          <AreaField path="note" label="Note" hint="Kept in the status history with your key's name." rows={2} />
        </>
      )}
    </Form>
  );
}

type UploadAnswer = Schemas['UploadAnswer'];

const COLUMNS = 'clickId,transactionId,payout,currency,status,type,time';

/**
 * Conversions a network reported elsewhere (SPEC §3): up to 50,000 rows of CSV (header row) or a
 * JSON array, from a file or pasted, each through the postback rules. The answer counts each
 * outcome and lists the rows refused, with their reason.
 */
export function UploadConversions() {
  const { canWrite } = useAuth();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<UploadAnswer | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const send = () => {
    setBusy(true);
    setAnswer(null);
    setFailure(null);
    const json = /^\s*\[/.test(text);
    api
      .postText<UploadAnswer>('/api/v1/conversions/upload', text, json ? 'application/json' : 'text/csv')
      .then((a) => {
        setAnswer(a);
        void qc.invalidateQueries({ queryKey: ['/api/v1/conversions'] });
      })
      .catch(setFailure)
      .finally(() => setBusy(false));
  };
  return (
    <details className="upload">
      <summary>Upload conversions (CSV or JSON)</summary>
      <p className="hint">
        Columns <code>{COLUMNS}</code>, any order, a header row first; or a JSON array of objects with those fields. Each row is treated as a postback: repeats
        are deduplicated, statuses move as a network's would.
      </p>
      <div className="field">
        <label htmlFor="upload-file">File</label>
        <input
          id="upload-file"
          type="file"
          accept=".csv,.json,text/csv,application/json"
          disabled={!canWrite}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then(setText);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="upload-text">Rows</label>
        <textarea
          id="upload-text"
          rows={6}
          value={text}
          readOnly={!canWrite}
          placeholder={`${COLUMNS}\n0190f3…,ORDER-1,12.50,USD,approved,,`}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <p>
        <button type="button" disabled={!canWrite || busy || !text.trim()} onClick={send}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
        {!canWrite && <span className="hint"> Read-only key: uploading is disabled.</span>}
      </p>
      {failure !== null && <ErrorNote error={failure} />}
      {answer && (
        <>
          <p role="status">
            {answer.rows} rows: {answer.accepted} accepted, {answer.updated} updated, {answer.duplicate} duplicate, {answer.unattributed} unattributed,{' '}
            {answer.rejected} rejected.
          </p>
          {answer.errors.length > 0 && (
            <table aria-label="Rejected rows">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Code</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {answer.errors.map((e) => (
                  <tr key={e.row}>
                    <td>{e.row}</td>
                    <td>{e.code}</td>
                    <td className="wrap">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </details>
  );
}
