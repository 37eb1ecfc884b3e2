import { DATACENTER_PROVIDERS, recognizeSource } from './datacenter-sources';
import { mergeRanges, parseCidr, rangeToCidrs, subtractRanges, type IpRange } from './ip-range';

/** The shape of `data/datacenter-ranges.json`. */
export interface DatacenterRangesFile {
  format: 1;
  /** When the inputs were retrieved from their source (YYYY-MM-DD). */
  retrieved: string;
  providers: DatacenterRangesEntry[];
}

export interface DatacenterRangesEntry {
  id: string;
  name: string;
  published: string;
  /** File names or URLs the ranges were read from. */
  inputs: string[];
  /** Merged and disjoint from every earlier provider's, as the fewest CIDR blocks. */
  ipv4: string[];
  ipv6: string[];
}

export interface SourceInput {
  /** A file name or URL; its last path segment says which provider and format it is. */
  name: string;
  text: string;
}

export interface BuildResult {
  file: DatacenterRangesFile;
  /** Inputs not recognized, and entries that are not CIDR blocks (skipped, never guessed). */
  problems: string[];
}

function lastSegment(name: string): string {
  const path = /^[a-z]+:\/\//i.test(name) ? new URL(name).pathname : name;
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Rebuilds the range table from the providers' own published files. Each provider's ranges are
 * merged (adjacent and overlapping blocks joined) and made disjoint from every provider before it
 * in DATACENTER_PROVIDERS, so one address has one answer.
 */
export function buildDatacenterRanges(inputs: readonly SourceInput[], retrieved: string): BuildResult {
  const problems: string[] = [];
  const byProvider = new Map<string, { ranges: IpRange[]; inputs: string[] }>();
  for (const input of inputs) {
    const source = recognizeSource(lastSegment(input.name));
    if (!source) {
      problems.push(`${input.name}: not a known provider file, skipped`);
      continue;
    }
    let cidrs: string[];
    try {
      cidrs = source.read(input.text);
    } catch (e) {
      problems.push(`${input.name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const entry = byProvider.get(source.provider.id) ?? { ranges: [], inputs: [] };
    entry.inputs.push(input.name);
    for (const cidr of cidrs) {
      const range = parseCidr(cidr);
      if (range) entry.ranges.push(range);
      else problems.push(`${input.name}: '${cidr}' is not a CIDR block, skipped`);
    }
    byProvider.set(source.provider.id, entry);
  }
  return { file: { format: 1, retrieved, providers: disjointEntries(byProvider) }, problems };
}

function disjointEntries(byProvider: Map<string, { ranges: IpRange[]; inputs: string[] }>): DatacenterRangesEntry[] {
  const entries: DatacenterRangesEntry[] = [];
  let taken: IpRange[] = [];
  for (const p of DATACENTER_PROVIDERS) {
    const found = byProvider.get(p.id);
    if (!found) continue;
    const own = subtractRanges(mergeRanges(found.ranges), taken);
    taken = mergeRanges([...taken, ...own]);
    const cidrs = (v6: boolean) => own.filter((r) => r.v6 === v6).flatMap(rangeToCidrs);
    entries.push({ id: p.id, name: p.name, published: p.published, inputs: found.inputs, ipv4: cidrs(false), ipv6: cidrs(true) });
  }
  return entries;
}

/** The table as disjoint ranges tagged with the index of their provider in `file.providers`. */
export function rangesOf(file: DatacenterRangesFile): { range: IpRange; provider: number }[] {
  const out: { range: IpRange; provider: number }[] = [];
  let taken: IpRange[] = [];
  file.providers.forEach((p, index) => {
    const parsed = [...p.ipv4, ...p.ipv6].map(parseCidr).filter((r): r is IpRange => r !== null);
    // The file is built disjoint; a hand-edited one still answers one provider per address.
    const own = subtractRanges(mergeRanges(parsed), taken);
    taken = mergeRanges([...taken, ...own]);
    for (const range of own) out.push({ range, provider: index });
  });
  return out;
}
