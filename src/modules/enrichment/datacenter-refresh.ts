import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SourceInput } from './datacenter-ranges.builder';

/**
 * Reads the inputs of `npm run datacenter:refresh`: each location is a folder (every file in it,
 * not recursing) or an http(s) URL (downloaded). What each file holds is decided later by its
 * name (datacenter-sources.ts), so a folder may hold other files too.
 */
export async function loadSourceInputs(locations: readonly string[], fetchText: (url: string) => Promise<string> = download): Promise<SourceInput[]> {
  const inputs: SourceInput[] = [];
  for (const location of locations) {
    if (/^https?:\/\//i.test(location)) {
      inputs.push({ name: location, text: await fetchText(location) });
      continue;
    }
    const stat = statSync(location);
    const files = stat.isDirectory()
      ? readdirSync(location)
          .sort()
          .map((n) => join(location, n))
      : [location];
    for (const file of files) if (statSync(file).isFile()) inputs.push({ name: basename(file), text: readFileSync(file, 'utf8') });
  }
  return inputs;
}

async function download(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(120_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

/**
 * The table as JSON with one CIDR block per line: diffs of a refresh show what moved, and the
 * file stays small (no indentation inside the long lists).
 */
export function serializeRanges(file: { format: number; retrieved: string; providers: { ipv4: string[]; ipv6: string[] }[] }): string {
  const providers = file.providers.map((p) => {
    const { ipv4, ipv6, ...meta } = p;
    const head = JSON.stringify(meta).slice(0, -1);
    const lines = (cidrs: string[]) => (cidrs.length ? `[\n${cidrs.map((c) => JSON.stringify(c)).join(',\n')}\n]` : '[]');
    return `${head},\n"ipv4": ${lines(ipv4)},\n"ipv6": ${lines(ipv6)}}`;
  });
  return `{"format": ${file.format}, "retrieved": ${JSON.stringify(file.retrieved)}, "providers": [\n${providers.join(',\n')}\n]}\n`;
}
