import type { ConversionStatus } from '../../common/conversion-change';
import type { NetworkParamField } from '../affiliate-networks/affiliate-network.entity';
import type { NetworkKind } from '../conversions/intake/receivers';

/** A traffic-source template as data/traffic-sources.json holds it. */
export interface TrafficSourceTemplate {
  id: string;
  name: string;
  /** The public page the template comes from. */
  docs: string;
  moreDocs?: string[];
  clickIdParam?: string | null;
  /** The source's macro for its click id, for the tracking link (`{click_id}`, `${SUBID}`). */
  clickIdToken?: string | null;
  costParam?: string | null;
  costToken?: string | null;
  params: { param: string; as: string; token?: string }[];
  /** With the tracker's macros (SPEC §7); null when the source takes no postback URL. */
  postbackUrl: string | null;
  /** UPPER_CASE words in postbackUrl the user replaces with their own account's values. */
  placeholders?: string[];
  postbackStatuses?: ConversionStatus[];
  notes?: string;
}

/** An affiliate-network template as data/affiliate-networks.json holds it. */
export interface AffiliateNetworkTemplate {
  id: string;
  name: string;
  docs: string;
  moreDocs?: string[];
  kind: NetworkKind;
  params?: Partial<Record<NetworkParamField, string>>;
  statusMap?: Record<string, ConversionStatus>;
  defaultStatus?: ConversionStatus;
  /** A receiver of SPEC §6 with the network's own macros as values; the API prefixes BASE_URL. */
  postbackPath: string;
  /** What to add to the offer URL so the network keeps the tracker's click id (SPEC §5 macros). */
  offerUrlQuery?: string;
  notes?: string;
  /** A call as the network makes it: macro -> value (`<click id>` for the click id), and the status it records. */
  example: { values: Record<string, string>; status: ConversionStatus };
}

export type TemplateKind = 'traffic-sources' | 'affiliate-networks';
export const CLICK_ID_PLACEHOLDER = '<click id>';
