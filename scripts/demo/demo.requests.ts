import type { PlannedClick, PlannedMessage, Status } from './demo.plan';

export interface DemoRequest {
  method: 'GET' | 'POST';
  path: string;
  json?: unknown;
  /** How the demo names the call in an error message. */
  label: string;
}

export interface MessageContext {
  clickId: string;
  networkId: string;
  /** The network's postbackToken: every call but the pixel's must carry it. */
  token: string;
}

const TRACKDESK_STATUS: Record<Status, string> = {
  approved: 'CONVERSION_STATUS_APPROVED',
  pending: 'CONVERSION_STATUS_PENDING',
  declined: 'CONVERSION_STATUS_DECLINED',
};

/** Tradedoubler messageTypeId: 4 Pending, 5 Tracked_Approved, 8 Deleted. */
const TRADEDOUBLER_MESSAGE_TYPE: Record<Status, number> = { pending: 4, approved: 5, declined: 8 };

const money = (cents: number) => (cents / 100).toFixed(2);

function query(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

/** The click as a traffic source would send it: its click id, the cost it paid, the ad. */
export function clickPath(campaignKey: string, click: PlannedClick): string {
  const q = query({ clickid: click.externalId, utm_source: click.source, utm_content: click.ad, cost: money(click.costCents) });
  return `/c/${encodeURIComponent(campaignKey)}?${q}`;
}

/** One conversion message in its network's own format (SPEC §6). */
export function conversionRequest(m: PlannedMessage, ctx: MessageContext): DemoRequest {
  const c = m.conversion;
  const amount = money(c.amountCents);
  const label = `${c.format} ${m.why} ${c.txid ?? `pixel for click ${ctx.clickId}`}`;
  const txid = c.txid ?? '';
  switch (c.format) {
    case 'postback':
      return {
        method: 'GET',
        label,
        path: `/postback?${query({ clickid: ctx.clickId, payout: amount, txid, status: m.status, type: c.kind, token: ctx.token })}`,
      };
    case 'postback-json':
      return {
        method: 'POST',
        label,
        path: `/postback/${encodeURIComponent(ctx.networkId)}?${query({ token: ctx.token })}`,
        json: { clickid: ctx.clickId, payout: amount, currency: 'USD', txid, status: m.status, type: c.kind },
      };
    case 'pixel':
      return { method: 'GET', label, path: `/a.gif?${query({ c: c.kind === 'lead' ? '2' : '1', h: ctx.clickId, a: amount })}` };
    case 'trackdesk':
      if (m.why === 'new') {
        const q = {
          cid: ctx.clickId,
          conversionTypeCode: c.kind,
          'amount.value': amount,
          'currency.code': 'USD',
          externalId: txid,
          status: TRACKDESK_STATUS[m.status],
          token: ctx.token,
        };
        return { method: 'GET', label, path: `/tracking/conversion/v1?${query(q)}` };
      }
      return {
        method: 'POST',
        label,
        path: `/tracking/conversion/v1?${query({ token: ctx.token })}`,
        json: {
          cid: ctx.clickId,
          conversionTypeCode: c.kind,
          amount: { value: amount },
          currency: { code: 'USD' },
          externalId: txid,
          status: TRACKDESK_STATUS[m.status],
        },
      };
    case 'tradedoubler':
      return {
        method: 'POST',
        label,
        path: `/receivers/tradedoubler?${query({ token: ctx.token })}`,
        json: {
          transactionId: txid,
          epi: ctx.clickId,
          publisherCommission: amount,
          orderValue: money(c.amountCents * 10),
          currencyId: 'USD',
          messageTypeId: TRADEDOUBLER_MESSAGE_TYPE[m.status],
          eventTypeId: c.kind === 'lead' ? 4 : 5,
          sequenceNumber: m.sequence,
        },
      };
    case 'tradetracker': {
      const q = {
        cid: '4711',
        pid: '1',
        tid: txid,
        tam: amount,
        currency: 'USD',
        qty: '1',
        descrMerchant: txid,
        data: ctx.clickId,
        event: c.kind === 'lead' ? 'lead' : 'sales',
        token: ctx.token,
      };
      return { method: 'GET', label, path: `/receivers/tradetracker?${query(q)}` };
    }
  }
}
