import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildDatacenterRanges, type DatacenterRangesFile } from './datacenter-ranges.builder';
import { DatacenterLookup } from './datacenter.lookup';
import { loadSourceInputs, serializeRanges } from './datacenter-refresh';

// Tests run from dist/src/modules/enrichment; the fixtures stay in the source tree.
const FIXTURES = join(__dirname, '../../../../src/modules/enrichment/fixtures/datacenter');
const SCRIPT = join(__dirname, '../../../scripts/datacenter-refresh.js');

describe('datacenter:refresh on the fixture folder (one small file per provider format)', () => {
  const work = mkdtempSync(join(tmpdir(), 'dc-refresh-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('reads each provider format, merges, and reports what it skipped', async () => {
    const { file, problems } = buildDatacenterRanges(await loadSourceInputs([FIXTURES]), '2024-01-01');
    const summary = Object.fromEntries(file.providers.map((p) => [p.id, [p.ipv4, p.ipv6, p.inputs]]));
    assert.deepEqual(summary, {
      // the two AWS prefixes touch: one range, written as the fewest blocks; duplicates counted once
      aws: [['52.94.0.0/22', '52.94.4.0/24'], ['2600:1f00::/40'], ['ip-ranges.json']],
      'google-cloud': [['34.1.208.0/20'], ['2600:1900:8000::/44'], ['cloud.json']],
      // 20.33.1.0/24 lies inside AzureCloud's 20.33.0.0/16
      azure: [['20.33.0.0/16'], ['2603:1000::/40'], ['ServiceTags_Public_20240101.json']],
      oracle: [['129.146.0.0/20'], [], ['public_ip_ranges.json']],
      digitalocean: [['104.131.0.0/18'], ['2604:a880::/48'], ['google.csv']],
      hetzner: [['5.9.0.0/16'], ['2a01:4f8::/32'], ['hetzner.txt']],
      // 52.94.4.0/24 is AWS's, which comes first
      ovh: [['51.38.0.0/16'], [], ['ovh.txt']],
    });
    assert.deepEqual(problems, ['README.txt: not a known provider file, skipped', "hetzner.txt: 'not-a-cidr' is not a CIDR block, skipped"]);
    const lookup = new DatacenterLookup(file);
    assert.equal(lookup.provider('52.94.4.9'), 'AWS');
    assert.equal(lookup.provider('129.146.15.255'), 'Oracle Cloud');
    assert.equal(lookup.provider('2604:a880::1'), 'DigitalOcean');
  });

  it('reads URLs through the fetcher and names the provider from the last path segment', async () => {
    const asked: string[] = [];
    const inputs = await loadSourceInputs(['https://www.gstatic.com/ipranges/cloud.json'], (url) => {
      asked.push(url);
      return Promise.resolve(readFileSync(join(FIXTURES, 'cloud.json'), 'utf8'));
    });
    assert.deepEqual(asked, ['https://www.gstatic.com/ipranges/cloud.json']);
    const { file } = buildDatacenterRanges(inputs, '2024-01-01');
    assert.deepEqual(file.providers[0].inputs, ['https://www.gstatic.com/ipranges/cloud.json']);
    assert.equal(file.providers[0].name, 'Google Cloud');
  });

  it('the script writes the table the builder makes, and warns on stderr', async () => {
    const out = join(work, 'ranges.json');
    const run = spawnSync(process.execPath, [SCRIPT, FIXTURES, '--out', out, '--retrieved', '2024-01-01'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /warning: README\.txt: not a known provider file/);
    assert.match(run.stdout, /AWS: 2 IPv4 and 1 IPv6 blocks from 1 input/);
    const written = readFileSync(out, 'utf8');
    const expected = buildDatacenterRanges(await loadSourceInputs([FIXTURES]), '2024-01-01').file;
    assert.equal(written, serializeRanges(expected));
    assert.deepEqual(JSON.parse(written) as DatacenterRangesFile, expected);
  });

  it('the script refuses to run without inputs or with a bad date, writing nothing', () => {
    const out = join(work, 'never.json');
    const none = spawnSync(process.execPath, [SCRIPT, '--out', out], { encoding: 'utf8' });
    assert.equal(none.status, 1);
    assert.match(none.stderr, /at least one folder or URL/);
    const badDate = spawnSync(process.execPath, [SCRIPT, FIXTURES, '--out', out, '--retrieved', 'yesterday'], { encoding: 'utf8' });
    assert.equal(badDate.status, 1);
    assert.throws(() => readFileSync(out));
  });
});
