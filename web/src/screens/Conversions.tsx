import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { More, Props, Raw, Select } from '../components/Bits';
import { ErrorNote } from '../components/ErrorNote';
import { useEntities } from '../lib/entities';
import { formatMetric, formatTime } from '../lib/format';
import { useList } from '../lib/lists';
import { href } from '../lib/route';
import { addDays, browserZone, dateIn, midnightIn } from '../lib/time';
import { ChangeConversion, UploadConversions } from './ConversionHand';

interface Ref {
  id: string;
  name: string | null;
}
export interface ConversionView {
  id: string;
  created_at: string;
  status: string;
  currency: string | null;
  transactionId: string | null;
  clickId: string | null;
  visitEvent: { id: string; created_at: string; payload: unknown } | null;
  destination: { campaign: Ref | null; offer: Ref | null; affiliateNetwork: Ref | null; trafficSource: Ref | null } | null;
  payload: { data: { payout: number; conversion_type: string } };
  source: unknown;
  client: unknown;
  geo: unknown;
  history: {
    createdAt: string;
    status: string | null;
    payout: number | null;
    reportedAmount: number | null;
    sequenceNumber: number | null;
    postbackId: string | null;
    note: string | null;
    /** `network`, `manual`, `upload`, `click` (late attribution)… */
    source?: string | null;
    /** The key's name, for a change by hand. */
    actor?: string | null;
  }[];
}

const name = (r: Ref | null | undefined) => (r ? (r.name ?? r.id) : '—');

/** What caused a history entry: by hand (whose key), an upload, the click arriving, or a call. */
function causeOf(h: ConversionView['history'][number]): string {
  const who =
    h.source === 'manual' ? `by hand${h.actor ? ` (${h.actor})` : ''}` : h.source === 'upload' ? 'upload' : h.source === 'click' ? 'its click arrived' : '';
  return [who, h.postbackId ? `call ${h.postbackId}` : '', h.note ?? ''].filter(Boolean).join(' — ');
}

/** Conversions filtered by status, campaign, network and date, each opening its detail. */
export function ConversionsScreen({ id }: { id?: string }) {
  if (id) return <ConversionDetail id={id} />;
  return <ConversionList />;
}

function ConversionList() {
  const tz = browserZone();
  const [status, setStatus] = useState('');
  const [campaignId, setCampaign] = useState('');
  const [networkId, setNetwork] = useState('');
  const [from, setFrom] = useState(() => addDays(dateIn(tz), -29));
  const [to, setTo] = useState(() => dateIn(tz));
  const campaigns = useEntities('/api/v1/campaigns');
  const networks = useEntities('/api/v1/affiliate-networks');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const list = useList<ConversionView>('/api/v1/conversions', {
    status,
    campaignId,
    affiliateNetworkId: networkId,
    from: valid ? midnightIn(from, tz).toISOString() : undefined,
    to: valid ? midnightIn(addDays(to, 1), tz).toISOString() : undefined,
  });
  return (
    <section aria-labelledby="conv-title">
      <h1 id="conv-title">Conversions</h1>
      <UploadConversions />
      <div className="toolbar">
        <Select
          label="Status"
          value={status}
          onChange={setStatus}
          options={[
            ['', 'All'],
            ['approved', 'approved'],
            ['pending', 'pending'],
            ['declined', 'declined'],
          ]}
        />
        <Select
          label="Campaign"
          value={campaignId}
          onChange={setCampaign}
          options={[['', 'All'], ...(campaigns.data?.items ?? []).map((c): [string, string] => [c.id, c.name])]}
        />
        <Select
          label="Network"
          value={networkId}
          onChange={setNetwork}
          options={[['', 'All'], ...(networks.data?.items ?? []).map((c): [string, string] => [c.id, c.name])]}
        />
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To (inclusive)
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      {list.error && <ErrorNote error={list.error} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Conversion</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Payout
            </th>
            <th scope="col">Type</th>
            <th scope="col">Campaign</th>
            <th scope="col">Offer</th>
            <th scope="col">Network</th>
            <th scope="col">Transaction</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((c) => (
            <tr key={c.id}>
              <td>{formatTime(c.created_at)}</td>
              <td>
                <a href={href('conversions', c.id)}>{c.id}</a>
              </td>
              <td>{c.status}</td>
              <td className="num">
                {formatMetric('money', c.payload?.data?.payout)} {c.currency ?? ''}
              </td>
              <td>{c.payload?.data?.conversion_type}</td>
              <td>{name(c.destination?.campaign)}</td>
              <td>{name(c.destination?.offer)}</td>
              <td>{name(c.destination?.affiliateNetwork)}</td>
              <td>{c.transactionId ?? '—'}</td>
            </tr>
          ))}
          {!list.loading && !list.items.length && (
            <tr>
              <td colSpan={9}>No conversions.</td>
            </tr>
          )}
        </tbody>
      </table>
      <More show={list.hasMore} onClick={list.more} />
    </section>
  );
}

function ConversionDetail({ id }: { id: string }) {
  const conv = useQuery({ queryKey: ['conversion', id], queryFn: () => api.get<ConversionView>('/api/v1/conversions/{id}', undefined, { id }) });
  const visitId = conv.data?.visitEvent?.id;
  const visit = useQuery({
    queryKey: ['click', visitId],
    queryFn: () => api.get<Record<string, unknown>>('/api/v1/clicks/{id}', undefined, { id: visitId! }),
    enabled: !!visitId,
  });
  const c = conv.data;
  return (
    <section aria-labelledby="convd-title">
      <p>
        <a href={href('conversions')}>← Conversions</a>
      </p>
      <h1 id="convd-title">Conversion {id}</h1>
      {conv.error && <ErrorNote error={conv.error} />}
      {c && (
        <>
          <Props
            items={[
              ['Status', c.status],
              ['Payout', `${formatMetric('money', c.payload?.data?.payout)} ${c.currency ?? ''}`],
              ['Type', c.payload?.data?.conversion_type],
              ['Transaction', c.transactionId],
              ['Click id', c.clickId],
              ['Campaign', name(c.destination?.campaign)],
              ['Offer', name(c.destination?.offer)],
              ['Network', name(c.destination?.affiliateNetwork)],
              ['Time', formatTime(c.created_at)],
            ]}
          />
          <h2>Change by hand</h2>
          <ChangeConversion key={`${c.status}-${c.history?.length ?? 0}`} id={c.id} status={c.status} />
          <h2>Status history</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Payout
                </th>
                <th scope="col" className="num">
                  Reported
                </th>
                <th scope="col">Sequence</th>
                <th scope="col">Caused by</th>
              </tr>
            </thead>
            <tbody>
              {(c.history ?? []).map((h, i) => (
                <tr key={i}>
                  <td>{formatTime(h.createdAt)}</td>
                  <td>{h.status ?? '—'}</td>
                  <td className="num">{formatMetric('money', h.payout)}</td>
                  <td className="num">{formatMetric('money', h.reportedAmount)}</td>
                  <td>{h.sequenceNumber ?? '—'}</td>
                  <td className="wrap">{causeOf(h)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>The call</h2>
          <Raw value={{ source: c.source, client: c.client, geo: c.geo }} label="Conversion call" />
          <h2>Payload</h2>
          <Raw value={c.payload} label="Payload" />
          <h2>The visit</h2>
          {!c.visitEvent && <p>Unattributed: no visit.</p>}
          {visit.error && <ErrorNote error={visit.error} />}
          {c.visitEvent && <Raw value={visit.data ?? c.visitEvent} label="Visit" />}
        </>
      )}
    </section>
  );
}
