// npm run datacenter:refresh -- <folder or URL>... [--out <file>] [--retrieved YYYY-MM-DD]
//
// Rebuilds src/modules/enrichment/data/datacenter-ranges.json from the cloud providers' own
// published files (AWS ip-ranges.json, Google cloud.json, Azure ServiceTags_Public_*.json, Oracle
// public_ip_ranges.json, DigitalOcean google.csv) and plain `<provider>.txt` lists (Hetzner, OVH),
// read from folders or URLs. Update datacenter-ranges.README.md (source, date, licence) with it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDatacenterRanges } from '../src/modules/enrichment/datacenter-ranges.builder';
import { loadSourceInputs, serializeRanges } from '../src/modules/enrichment/datacenter-refresh';

function parseArgs(argv: string[]): { locations: string[]; out: string; retrieved: string } {
  const locations: string[] = [];
  let out = join(__dirname, '../../src/modules/enrichment/data/datacenter-ranges.json');
  let retrieved = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--retrieved') retrieved = argv[++i];
    else locations.push(argv[i]);
  }
  if (!locations.length) throw new Error('give at least one folder or URL to read the providers’ files from');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(retrieved ?? '')) throw new Error('--retrieved must be YYYY-MM-DD');
  if (!out) throw new Error('--out needs a file name');
  return { locations, out, retrieved };
}

async function main(): Promise<void> {
  const { locations, out, retrieved } = parseArgs(process.argv.slice(2));
  const { file, problems } = buildDatacenterRanges(await loadSourceInputs(locations), retrieved);
  for (const p of problems) console.error(`warning: ${p}`);
  if (!file.providers.length) throw new Error('no provider file recognized: nothing written');
  const text = serializeRanges(file);
  writeFileSync(out, text);
  for (const p of file.providers) console.log(`${p.name}: ${p.ipv4.length} IPv4 and ${p.ipv6.length} IPv6 blocks from ${p.inputs.length} input(s)`);
  console.log(`wrote ${out} (${(text.length / 1024).toFixed(0)} KiB)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
