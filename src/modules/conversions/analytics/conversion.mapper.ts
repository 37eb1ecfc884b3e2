import { toCents, toJsonNumber } from '../../../common/money';
import { compileTemplate, renderTemplate } from '../../clicks/macro.renderer';
import { visitMacros } from '../../clicks/visit.builder';
import { toVisitEvent, visitClient, visitGeo, type VisitRow } from '../../clicks/visit.mapper';
import type { ConversionViewRow } from './conversion-view.repository';

const ref = (id: string | null, name: string | null) => (id === null ? null : { id, name });

function visitOf(row: ConversionViewRow): VisitRow | null {
  if (row.v_id === null || row.v_id === undefined) return null;
  const visit: Record<string, unknown> = {};
  for (const key of Object.keys(row)) if (key.startsWith('v_')) visit[key.slice(2)] = row[key as `v_${string}`];
  return visit as unknown as VisitRow;
}

/**
 * The URL the visitor was sent to: the offer (or link) template rendered with the visit's own
 * macros, as the redirect rendered it. Without a visit, the template as configured.
 */
function destinationUrl(row: ConversionViewRow, visit: VisitRow | null): string | null {
  const template = row.link_url ?? row.offer_url;
  if (template === null || template === undefined || !visit) return template ?? null;
  const slots = new Set([...(row.ts_params ?? []).map((p) => p.as), ...Object.keys(visit.remaped ?? {})]);
  return renderTemplate(compileTemplate(template), visitMacros({ ...visit, remaped: visit.remaped ?? {} }, { key: row.campaign_key ?? '', slots }));
}

/** A conversion in the SPEC §8 analytics shape; the one place that shape is built. */
export function toConversionView(row: ConversionViewRow) {
  const visit = visitOf(row);
  const cost = visit?.cost ?? '0';
  return {
    id: row.id,
    type: 'conversion' as const,
    visitEvent: visit ? { ...toVisitEvent(visit), client: visitClient(visit), geo: visitGeo(visit) } : null,
    destination: {
      campaign: ref(row.campaign_id, row.campaign_name),
      category: row.category,
      url: destinationUrl(row, visit),
      trafficSource: ref(row.ts_id, row.ts_name),
      // Always the offer's network, whichever network reported the conversion.
      affiliateNetwork: ref(row.network_id, row.network_name),
      offer: ref(row.offer_id, row.offer_name),
      offerLink: ref(row.link_id, row.link_name),
      landingPage: ref(row.lp_id, row.lp_name),
    },
    source: row.source,
    client: row.client,
    geo: row.geo,
    payload: {
      data: {
        conversion_type: row.type_code,
        conversion_id: row.conversion_type_id,
        payout: toJsonNumber(row.payout) ?? 0,
        cost: toJsonNumber(cost) ?? 0,
        costCents: toCents(cost),
        payoutCents: toCents(row.payout),
      },
    },
    created_at: row.created_at.toISOString(),
    /** Seconds from the click to the conversion (SPEC §8); null while unattributed. */
    timeToConvert: visit ? Math.max(0, (row.created_at.getTime() - new Date(visit.created_at).getTime()) / 1000) : null,
    status: row.status,
    currency: row.currency,
    transactionId: row.transaction_id,
    clickId: row.click_id,
    reportingNetworkId: row.call_network_id,
    reportedAmount: toJsonNumber(row.reported_amount),
    saleAmount: toJsonNumber(row.sale_amount),
    extra: row.extra,
    updated_at: row.updated_at.toISOString(),
    history: row.history.map((h) => ({
      createdAt: h.createdAt,
      status: h.status,
      payout: toJsonNumber(h.payout),
      currency: h.currency,
      reportedAmount: toJsonNumber(h.reportedAmount),
      sequenceNumber: h.sequenceNumber,
      postbackId: h.postbackId,
      note: h.note,
      source: h.source,
      actor: h.actor,
    })),
  };
}

export type ConversionView = ReturnType<typeof toConversionView>;
