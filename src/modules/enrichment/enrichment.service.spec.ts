import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, type AppConfig } from '../../config/app-config';
import { EnrichmentService } from './enrichment.service';
import { writeTestMmdb } from './test-mmdb.fixture';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Safari/537.36';

function service(env: Record<string, string>): EnrichmentService {
  const config: AppConfig = loadConfig(env);
  return new EnrichmentService(config);
}

describe('EnrichmentService.describeClient', () => {
  const plain = service({});
  // Only the full address is in this database: a lookup after anonymizing would find nothing.
  const mmdb = writeTestMmdb('81.2.69.160/32', { country: { iso_code: 'GB' }, city: { names: { en: 'London' } } });
  const behindProxy = service({ TRUST_PROXY: 'loopback', IP_ANONYMIZE: 'true', GEOIP_MMDB: mmdb });

  it('describes a direct client as the contract shows it', () => {
    const c = plain.describeClient({
      socketIp: '8.8.8.8',
      socketProtocol: 'https',
      headers: { 'user-agent': CHROME_MAC, 'accept-language': 'en-US,en;q=0.9', 'x-forwarded-for': '1.1.1.1' },
    });
    assert.equal(c.ip, '8.8.8.8');
    assert.equal(c.forwardedFor, '1.1.1.1');
    assert.equal(c.ua, CHROME_MAC);
    assert.deepEqual(c.agent, { family: 'Chrome', major: '70', minor: '0', patch: '3538' });
    assert.equal(c.os.family, 'Mac OS');
    assert.deepEqual(c.device, { family: 'Other', brand: null, model: null });
    assert.equal(c.mobile, false);
    assert.equal(c.bot, false);
    assert.equal(c.lang, 'en-US,en;q=0.9');
    assert.equal(c.protocol, 'https');
    assert.equal(c.geo.country, 'US');
    assert.equal(c.geo.geoname_id, 6252001);
  });

  it('gives nulls and Other families when the request says nothing', () => {
    const c = plain.describeClient({ socketIp: '127.0.0.1', socketProtocol: 'http', headers: {} });
    assert.equal(c.ua, null);
    assert.equal(c.lang, null);
    assert.equal(c.forwardedFor, null);
    assert.equal(c.agent.family, 'Other');
    assert.deepEqual(c.geo, { country: null, geoname_id: null, region: null, city: null, tz: null });
  });

  it('believes a trusted proxy, looks up geo on the full address, then anonymizes', () => {
    const c = behindProxy.describeClient({
      socketIp: '::ffff:127.0.0.1',
      socketProtocol: 'http',
      headers: { 'x-forwarded-for': '81.2.69.160', 'x-forwarded-proto': 'https' },
    });
    assert.equal(c.ip, '81.2.69.0');
    assert.equal(c.forwardedFor, '81.2.69.0');
    assert.equal(c.protocol, 'https');
    assert.equal(c.geo.city, 'London');
    assert.equal(c.geo.geoname_id, 2635167);
  });

  it('bounds what it keeps from oversized headers', () => {
    const c = plain.describeClient({
      socketIp: '8.8.8.8',
      socketProtocol: 'http',
      headers: { 'user-agent': 'x'.repeat(10_000), 'accept-language': ['da, en-gb;q=0.8'.repeat(100), 'fr'] },
    });
    assert.equal(c.ua?.length, 1024);
    assert.equal(c.lang?.length, 256);
    assert.ok(c.lang?.startsWith('da, en-gb'));
  });
});
