import { NETWORK_PATHS, receiverOfKind } from '../conversions/intake/receivers';
import type { AffiliateNetworkTemplate } from '../templates/template.types';
import type { AffiliateNetworkEntity } from './affiliate-network.entity';

export interface NetworkEndpoints {
  /** The URL to give the network: its kind's receiver, with the network's own macros when it came from a template. */
  postbackUrl: string;
  /** For a generic network, the conversion pixel (SPEC §6) for pages that cannot call a URL. */
  pixel: string | null;
}

/**
 * What a buyer pastes into the network's panel. From a template: the template's receiver path
 * with the network's id in it (so its token, addresses, names and status map apply) and the
 * network's own macros. Otherwise the kind's receiver with placeholders in capitals. A token,
 * when the network has one, is a placeholder too: the API never shows it again.
 */
export function networkEndpoints(
  base: string,
  n: Pick<AffiliateNetworkEntity, 'id' | 'kind' | 'params' | 'postbackToken'>,
  template: AffiliateNetworkTemplate | null,
): NetworkEndpoints {
  const id = encodeURIComponent(n.id);
  const token = n.postbackToken !== null ? '&token={YOUR_POSTBACK_TOKEN}' : '';
  const pixel = n.kind === 'generic' ? `<img src="${base}/a.gif?h={CLICK_ID}&a={PAYOUT}&txid={TRANSACTION_ID}" width="1" height="1" alt="">` : null;
  if (template) {
    const route = NETWORK_PATHS.find((r) => template.postbackPath.startsWith(`${r}?`) || template.postbackPath === r);
    const path = route ? `${route}/${id}${template.postbackPath.slice(route.length)}` : template.postbackPath;
    return { postbackUrl: `${base}${path}${path.includes('?') ? token : token.replace('&', '?')}`, pixel };
  }
  const receiver = receiverOfKind(n.kind);
  if (receiver.networkQuery !== undefined) {
    const path = receiver.networkInPath ? `${receiver.path}/${id}` : receiver.path;
    return { postbackUrl: `${base}${path}?${receiver.networkQuery}${token}`, pixel };
  }
  // The generic receiver reads the names this network's settings give (SPEC §6).
  const p = n.params;
  const q = [
    [p.clickId ?? 'clickid', '{CLICK_ID}'],
    [p.payout ?? 'payout', '{PAYOUT}'],
    [p.transactionId ?? 'txid', '{TRANSACTION_ID}'],
    [p.currency ?? 'currency', '{CURRENCY}'],
    [p.status ?? 'status', '{STATUS}'],
  ]
    .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
    .join('&');
  return { postbackUrl: `${base}${receiver.path}/${id}?${q}${token}`, pixel };
}
