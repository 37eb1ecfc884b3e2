import { destinationUrlProblem } from '../../common/url-template';
import { NETWORK_KINDS, receiverPathsOf, type NetworkKind } from '../conversions/intake/receivers';
import { NETWORK_PARAM_FIELDS } from '../affiliate-networks/affiliate-network.entity';
import { RESERVED_SLOTS } from '../traffic-sources/traffic-source.dto';
import networkData from './data/affiliate-networks.json';
import sourceData from './data/traffic-sources.json';
import { CLICK_ID_PLACEHOLDER, type AffiliateNetworkTemplate, type TrafficSourceTemplate } from './template.types';

const ID = /^[a-z0-9][a-z0-9-]{1,40}$/;
const PARAM = /^[A-Za-z0-9_.\-[\]]{1,64}$/;
const SLOT = /^[a-z][a-z0-9_]{0,31}$/;
const STATUSES = ['pending', 'approved', 'declined'];
/** Built-in report dimensions (SPEC §8): a slot of the same name could never be reported on. */
const DIMENSIONS =
  'campaign offer offerLink landingPage trafficSource affiliateNetwork country region city os browser device mobile bot conversionType status rule hour day week month'.split(
    ' ',
  );
/** The macros of a traffic source's postback URL (SPEC §7). */
const POSTBACK_MACROS = ['external_id', 'click_id', 'conversion_id', 'payout', 'currency', 'status', 'conversion_type', 'txid'];
const SOURCE_KEYS = [
  'id',
  'name',
  'docs',
  'moreDocs',
  'clickIdParam',
  'clickIdToken',
  'costParam',
  'costToken',
  'params',
  'postbackUrl',
  'placeholders',
  'postbackStatuses',
  'notes',
];
const NETWORK_KEYS = ['id', 'name', 'docs', 'moreDocs', 'kind', 'params', 'statusMap', 'defaultStatus', 'postbackPath', 'offerUrlQuery', 'notes', 'example'];

function isUrl(value: unknown): boolean {
  return typeof value === 'string' && /^https?:\/\/[^\s/]+\.[^\s/]+\S*$/.test(value);
}

function commonProblems(t: Record<string, unknown>, keys: string[], seen: Set<string>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(t)) if (!keys.includes(k)) out.push(`unknown field ${k}`);
  if (typeof t.id !== 'string' || !ID.test(t.id)) out.push('id must be lower-case letters, digits and dashes');
  else if (seen.has(t.id)) out.push('id is used twice');
  else seen.add(t.id);
  if (typeof t.name !== 'string' || !t.name.trim()) out.push('name is required');
  if (!isUrl(t.docs)) out.push('docs must be the URL of the public page the template comes from');
  if (t.moreDocs !== undefined && !(Array.isArray(t.moreDocs) && t.moreDocs.every(isUrl))) out.push('moreDocs must be URLs');
  return out;
}

function sourceProblems(t: TrafficSourceTemplate): string[] {
  const out: string[] = [];
  for (const name of ['clickIdParam', 'costParam'] as const) if (t[name] != null && !PARAM.test(t[name])) out.push(`${name} must be a query parameter name`);
  if (!Array.isArray(t.params)) return [...out, 'params must be a list'];
  t.params.forEach((p, i) => {
    if (!PARAM.test(p.param)) out.push(`params[${i}].param must be a query parameter name`);
    if (!SLOT.test(p.as) || RESERVED_SLOTS.includes(p.as) || DIMENSIONS.includes(p.as)) out.push(`params[${i}].as '${p.as}' is not a free slot name`);
  });
  for (const key of ['param', 'as'] as const)
    if (new Set(t.params.map((p) => p[key])).size !== t.params.length) out.push(`params: each ${key} may appear once`);
  if (t.postbackStatuses?.some((s) => !STATUSES.includes(s))) out.push('postbackStatuses must be pending, approved or declined');
  if (t.postbackUrl === null) return t.placeholders?.length ? [...out, 'placeholders without a postbackUrl'] : out;
  const shape = destinationUrlProblem(t.postbackUrl);
  if (shape) out.push(`postbackUrl ${shape}`);
  const macros = [...t.postbackUrl.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  for (const m of macros) if (!POSTBACK_MACROS.includes(m)) out.push(`postbackUrl: {${m}} is not a tracker macro (SPEC §7)`);
  if (!macros.includes('external_id')) out.push("postbackUrl must pass the source's click id as {external_id}");
  for (const p of t.placeholders ?? [])
    if (!/^[A-Z][A-Z0-9_]+$/.test(p) || !t.postbackUrl.includes(p)) out.push(`placeholder ${p} must be an UPPER_CASE word of postbackUrl`);
  return out;
}

function networkProblems(t: AffiliateNetworkTemplate): string[] {
  const out: string[] = [];
  if (!(NETWORK_KINDS as readonly string[]).includes(t.kind)) return [`kind must be ${NETWORK_KINDS.slice(0, -1).join(', ')} or ${NETWORK_KINDS.at(-1)}`];
  const receivers = receiverPathsOf(t.kind as NetworkKind);
  for (const [field, name] of Object.entries(t.params ?? {}))
    if (!(NETWORK_PARAM_FIELDS as readonly string[]).includes(field) || !PARAM.test(name)) out.push(`params.${field} is not a field with a parameter name`);
  for (const [word, status] of Object.entries(t.statusMap ?? {})) if (!STATUSES.includes(status)) out.push(`statusMap.${word} must be a status`);
  if (t.defaultStatus !== undefined && !STATUSES.includes(t.defaultStatus)) out.push('defaultStatus must be a status');
  const [path, query = ''] = t.postbackPath.split('?');
  if (!receivers.includes(path)) out.push(`postbackPath must start with ${receivers.join(' or ')} for kind ${t.kind}`);
  const values = query.split('&').map((pair) => pair.slice(pair.indexOf('=') + 1));
  const example = Object.entries(t.example?.values ?? {});
  for (const [macro] of example) if (!values.includes(macro)) out.push(`example: ${macro} is not a value in postbackPath`);
  if (!example.some(([, value]) => value === CLICK_ID_PLACEHOLDER)) out.push(`example: one macro must carry ${CLICK_ID_PLACEHOLDER}`);
  if (!STATUSES.includes(t.example?.status)) out.push('example.status must be a status');
  if (t.offerUrlQuery !== undefined && !/^[A-Za-z0-9_.-]+=\{click_id\}$/.test(t.offerUrlQuery)) out.push('offerUrlQuery must be <parameter>={click_id}');
  return out;
}

/** Every problem of a catalogue file, prefixed with the template's id; empty when it is sound. */
export function catalogueProblems(kind: 'traffic-sources' | 'affiliate-networks', templates: unknown): string[] {
  if (!Array.isArray(templates)) return [`${kind}: templates must be a list`];
  const seen = new Set<string>();
  return templates.flatMap((raw: Record<string, unknown>, i) => {
    const label = `${kind}/${typeof raw.id === 'string' ? raw.id : `#${i}`}`;
    const problems =
      kind === 'traffic-sources'
        ? [...commonProblems(raw, SOURCE_KEYS, seen), ...sourceProblems(raw as unknown as TrafficSourceTemplate)]
        : [...commonProblems(raw, NETWORK_KEYS, seen), ...networkProblems(raw as unknown as AffiliateNetworkTemplate)];
    return problems.map((p) => `${label}: ${p}`);
  });
}

/**
 * The template catalogue, loaded once from the data files and checked: a broken file stops the
 * start with every problem named (the spec checks the same, so it never reaches a release).
 */
export class TemplateCatalogue {
  readonly trafficSources: readonly TrafficSourceTemplate[];
  readonly affiliateNetworks: readonly AffiliateNetworkTemplate[];

  constructor(sources: unknown = sourceData.templates, networks: unknown = networkData.templates) {
    const problems = [...catalogueProblems('traffic-sources', sources), ...catalogueProblems('affiliate-networks', networks)];
    if (problems.length) throw new Error(`template catalogue: ${problems.join('; ')}`);
    this.trafficSources = Object.freeze(sources as TrafficSourceTemplate[]);
    this.affiliateNetworks = Object.freeze(networks as AffiliateNetworkTemplate[]);
  }

  trafficSource(id: string): TrafficSourceTemplate | null {
    return this.trafficSources.find((t) => t.id === id) ?? null;
  }

  affiliateNetwork(id: string): AffiliateNetworkTemplate | null {
    return this.affiliateNetworks.find((t) => t.id === id) ?? null;
  }
}
