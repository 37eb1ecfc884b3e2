/**
 * The cloud providers whose published address ranges make an address a "data-centre" one, and
 * readers for the formats they publish them in. Pure: text in, CIDR strings out; the refresh
 * script (scripts/datacenter-refresh.ts) does the reading and writing.
 */
export interface DatacenterProvider {
  /** Stable id, also the name of a plain list file (`hetzner.txt`). */
  id: string;
  /** What the lookup answers (`AWS`). */
  name: string;
  /** Where the provider publishes its ranges. */
  published: string;
  /** The provider's own file name, when it publishes one in its own format. */
  file?: RegExp;
  read?: (text: string) => string[];
}

function json(text: string): unknown {
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function strings(values: unknown[]): string[] {
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** AWS `ip-ranges.json`: `prefixes[].ip_prefix` and `ipv6_prefixes[].ipv6_prefix`. */
function readAws(text: string): string[] {
  const doc = json(text);
  return strings([...list(field(doc, 'prefixes')).map((p) => field(p, 'ip_prefix')), ...list(field(doc, 'ipv6_prefixes')).map((p) => field(p, 'ipv6_prefix'))]);
}

/** Google `cloud.json`: `prefixes[].ipv4Prefix` / `ipv6Prefix`. */
function readGoogle(text: string): string[] {
  return strings(list(field(json(text), 'prefixes')).map((p) => field(p, 'ipv4Prefix') ?? field(p, 'ipv6Prefix')));
}

/** Azure `ServiceTags_Public_<date>.json`: `values[].properties.addressPrefixes[]`. */
function readAzure(text: string): string[] {
  return strings(list(field(json(text), 'values')).flatMap((v) => list(field(field(v, 'properties'), 'addressPrefixes'))));
}

/** Oracle `public_ip_ranges.json`: `regions[].cidrs[].cidr`. */
function readOracle(text: string): string[] {
  return strings(list(field(json(text), 'regions')).flatMap((r) => list(field(r, 'cidrs')).map((c) => field(c, 'cidr'))));
}

/** A geofeed (RFC 8805) CSV such as DigitalOcean's `google.csv`: the prefix is the first column. */
export function readGeofeed(text: string): string[] {
  return plainLines(text).map((line) => line.split(',')[0].trim());
}

/** One prefix per line; `#` starts a comment. */
export function readPlainList(text: string): string[] {
  return plainLines(text).map((line) => line.split(/\s/)[0]);
}

function plainLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** In priority order: where two providers publish the same range, the earlier one names it. */
export const DATACENTER_PROVIDERS: readonly DatacenterProvider[] = [
  { id: 'aws', name: 'AWS', published: 'https://ip-ranges.amazonaws.com/ip-ranges.json', file: /^ip-ranges\.json$/, read: readAws },
  { id: 'google-cloud', name: 'Google Cloud', published: 'https://www.gstatic.com/ipranges/cloud.json', file: /^cloud\.json$/, read: readGoogle },
  {
    id: 'azure',
    name: 'Microsoft Azure',
    published: 'https://www.microsoft.com/en-us/download/details.aspx?id=56519',
    file: /^ServiceTags_Public(_\d+)?\.json$/i,
    read: readAzure,
  },
  {
    id: 'oracle',
    name: 'Oracle Cloud',
    published: 'https://docs.oracle.com/iaas/tools/public_ip_ranges.json',
    file: /^public_ip_ranges\.json$/,
    read: readOracle,
  },
  { id: 'digitalocean', name: 'DigitalOcean', published: 'https://digitalocean.com/geo/google.csv', file: /^google\.csv$/, read: readGeofeed },
  { id: 'hetzner', name: 'Hetzner', published: 'no published list: prefixes announced by AS24940 and AS37153 (Hetzner Online)' },
  { id: 'ovh', name: 'OVH', published: 'no published list: prefixes announced by AS16276 and AS35540 (OVH SAS)' },
];

/** Names other mirrors give the plain lists (`microsoft-azure.txt`). */
const LIST_ALIASES: Readonly<Record<string, string>> = { 'microsoft-azure': 'azure', 'oracle-cloud': 'oracle', gcp: 'google-cloud', do: 'digitalocean' };

/**
 * Which provider a file (or the last segment of a URL) holds and how to read it: the provider's
 * own file name, else `<provider id>.txt` / `.csv` as a plain or geofeed list. Null: not ours.
 */
export function recognizeSource(fileName: string): { provider: DatacenterProvider; read: (text: string) => string[] } | null {
  for (const p of DATACENTER_PROVIDERS) if (p.file?.test(fileName) && p.read) return { provider: p, read: p.read };
  const m = /^([a-z0-9-]+)\.(txt|csv)$/i.exec(fileName);
  if (!m) return null;
  const id = LIST_ALIASES[m[1].toLowerCase()] ?? m[1].toLowerCase();
  const provider = DATACENTER_PROVIDERS.find((p) => p.id === id);
  if (!provider) return null;
  return { provider, read: m[2].toLowerCase() === 'csv' ? readGeofeed : readPlainList };
}
