import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './app-config';

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has the SPEC §2 defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.databaseUrl, null);
    assert.equal(c.dataDir, './data');
    assert.equal(c.adminApiKey, null);
    assert.equal(c.baseUrl, 'http://localhost:3000');
    assert.equal(c.trustProxy, null);
    assert.equal(c.ipAnonymize, false);
    assert.equal(c.fallbackUrl, null);
    assert.equal(c.outboundAllowPrivate, false);
    assert.equal(c.postbackToken, null);
    assert.equal(c.rateLimitPerMinute, 6000);
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://u@db:5432/x',
      DATA_DIR: '/tmp/d',
      ADMIN_API_KEY: 'a-long-enough-admin-key',
      BASE_URL: 'https://t.example/',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      IP_ANONYMIZE: 'true',
      FALLBACK_URL: 'https://fallback.example/',
      OUTBOUND_ALLOW_PRIVATE: '1',
      POSTBACK_TOKEN: 's3cret',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.baseUrl, 'https://t.example');
    assert.deepEqual(c.trustProxy, { all: false, cidrs: ['127.0.0.0/8', '::1/128', '10.0.0.0/8'] });
    assert.equal(c.ipAnonymize, true);
    assert.equal(c.outboundAllowPrivate, true);
    assert.equal(c.rateLimitPerMinute, 0);
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, { all: true });
    assert.equal(loadConfig({ PORT: '9' }).baseUrl, 'http://localhost:9');
  });

  it('names the variable and the problem in one line', () => {
    for (const [env, pattern] of [
      [{ PORT: 'abc' }, /^PORT: expected a whole number/],
      [{ PORT: '70000' }, /^PORT: expected a number from 0 to 65535/],
      [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected a postgres:\/\/ URL/],
      [{ BASE_URL: 'ftp://x' }, /^BASE_URL: expected an http\(s\) URL/],
      [{ FALLBACK_URL: 'not a url' }, /^FALLBACK_URL: not a valid URL/],
      [{ TRUST_PROXY: 'everyone' }, /^TRUST_PROXY: /],
      [{ TRUST_PROXY: '10.0.0.0/40' }, /^TRUST_PROXY: /],
      [{ IP_ANONYMIZE: 'maybe' }, /^IP_ANONYMIZE: expected true or false/],
      [{ OUTBOUND_ALLOW_PRIVATE: 'yes please' }, /^OUTBOUND_ALLOW_PRIVATE: /],
      [{ RATE_LIMIT_PER_MINUTE: '-1' }, /^RATE_LIMIT_PER_MINUTE: /],
      [{ ADMIN_API_KEY: 'short' }, /^ADMIN_API_KEY: must be at least 16/],
    ] as const) {
      const message = problem(env as Record<string, string>);
      assert.match(message, pattern);
      assert.ok(!message.includes('\n'));
    }
  });
});
