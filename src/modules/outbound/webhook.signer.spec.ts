import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { isValidSecret, signWebhook } from './webhook.signer';

const secret = `whsec_${randomBytes(32).toString('base64')}`;

describe('webhook signer', () => {
  it('validates secrets', () => {
    assert.equal(isValidSecret(secret), true);
    assert.equal(isValidSecret(`whsec_${randomBytes(24).toString('base64')}`), true);
    assert.equal(isValidSecret(`whsec_${randomBytes(24).toString('base64').replace(/=+$/, '')}`), true);
    assert.equal(isValidSecret(`whsec_${randomBytes(23).toString('base64')}`), false);
    assert.equal(isValidSecret(randomBytes(32).toString('base64')), false);
    assert.equal(isValidSecret(`whsec_${randomBytes(32).toString('hex')}!`), false);
    assert.equal(isValidSecret('whsec_'), false);
  });

  it('signs so the Standard Webhooks library verifies', () => {
    const body = JSON.stringify({ conversionId: '016aee815478aabbccddeeff', payout: 1.5, note: 'é "q"' });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signWebhook(secret, 'msg_1', timestamp, body);
    assert.equal(headers['webhook-id'], 'msg_1');
    assert.equal(headers['webhook-timestamp'], String(timestamp));
    assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
  });

  it('fails verification for another body, id or key', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signWebhook(secret, 'msg_1', timestamp, '{"a":1}');
    assert.throws(() => new Webhook(secret).verify('{"a":2}', headers));
    assert.throws(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-id': 'msg_2' }));
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    assert.throws(() => new Webhook(other).verify('{"a":1}', headers));
  });

  it('refuses to sign with an invalid secret', () => {
    assert.throws(() => signWebhook('whsec_short', 'm', 1, ''));
  });
});
