import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mintId } from '../../src/common/ids';
import { IntakeHooks } from '../../src/modules/conversions/intake/intake.hooks';
import { startTestApp, TestApp } from '../support/test-app';
import { ConversionWorld, countRows, created, insertVisit, makeWorld } from '../support/conversion-world';

describe('conversions in: tokens, addresses, limits, bad bodies', () => {
  let t: TestApp;
  let w: ConversionWorld;
  before(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
  });
  after(() => t.close());

  const lastLog = async () => (await t.db.query(`SELECT * FROM postbacks ORDER BY id DESC LIMIT 1`))[0];

  it('a network token: missing or wrong is 401 and logged, the right one (token or api_key) is accepted', async () => {
    const secure = await created(t, '/affiliate-networks', { name: 'Secure', postbackToken: 's3cret-token' });
    const click = await insertVisit(t, w);
    const p = `/postback/${secure.id}?tracking=${click}&amount=12.50`;
    const none = await t.http().get(p);
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'INVALID_TOKEN');
    const wrong = await t.http().get(`${p}&api_key=wrong`);
    assert.equal(wrong.status, 401);
    const log = await lastLog();
    assert.deepEqual([log.outcome, log.code], ['rejected', 'INVALID_TOKEN']);
    assert.ok(log.url.includes('api_key=[redacted]'), log.url);
    const ok = await t.http().get(`${p}&api_key=s3cret-token`);
    assert.equal(ok.body.status, 'accepted', ok.text);
    const viaBody = await t.http().post(`/postback/${secure.id}`).send({ tracking: click, amount: '1', txid: 'TB', token: 's3cret-token' });
    assert.equal(viaBody.body.status, 'accepted', viaBody.text);
    // The click's offer network is this one when the path names none: its token applies too.
    const offer = await created(t, '/offers', {
      name: 'secure offer',
      affiliateNetworkId: secure.id,
      url: 'https://o.example/?s={click_id}',
      payout: { type: 'dynamic', amount: '1', currency: 'USD' },
    });
    const camp = await created(t, '/campaigns', { name: 'secure camp', destinations: [{ offerId: offer.id, weight: 1 }] });
    const sw = { ...w, offerId: offer.id, offerLinkId: null as unknown as string, campaignId: camp.id, campaignKey: camp.key };
    const sclick = await insertVisit(t, sw);
    assert.equal((await t.http().get(`/postback?clickid=${sclick}`)).status, 401);
    assert.equal((await t.http().get(`/postback?clickid=${sclick}&token=s3cret-token`)).body.status, 'accepted');
    assert.equal((await t.http().get(`/a.gif?h=${sclick}&c=2`)).status, 200, 'a pixel never needs a token');
    assert.equal(await countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1`, [sclick]), 2);
  });

  it('allowedIps: an address outside is 403 (behind a trusted proxy the forwarded address counts)', async () => {
    const net = await created(t, '/affiliate-networks', { name: 'Listed', allowedIps: ['203.0.113.0/24'] });
    const click = await insertVisit(t, w);
    const outside = await t.http().get(`/postback/${net.id}?clickid=${click}`).set('x-forwarded-for', '198.51.100.1');
    assert.equal(outside.status, 403);
    assert.equal(outside.body.code, 'IP_NOT_ALLOWED');
    assert.equal((await t.http().get(`/postback/${net.id}?clickid=${click}`)).status, 403, 'loopback is not listed either');
    const inside = await t.http().get(`/postback/${net.id}?clickid=${click}`).set('x-forwarded-for', '203.0.113.77');
    assert.equal(inside.body.status, 'accepted', inside.text);
  });

  it('an unknown network in the path is 404 and logged', async () => {
    const r = await t.http().get(`/postback/nope-${mintId()}?clickid=x`);
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'UNKNOWN_NETWORK');
    assert.equal((await lastLog()).code, 'UNKNOWN_NETWORK');
    assert.equal((await t.http().get(`/receivers/tradedoubler/nope?epi=x`)).status, 404);
    assert.equal((await t.http().get(`/receivers/tradetracker/nope?data=x`)).status, 404);
  });

  it('bodies over 64 KiB are 413 (logged), under it are read', async () => {
    const form = 'application/x-www-form-urlencoded';
    const big = await t
      .http()
      .post('/postback')
      .set('content-type', form)
      .send('a='.concat('x'.repeat(70 * 1024)));
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 'PAYLOAD_TOO_LARGE');
    await t.app.get(IntakeHooks).drain();
    const click = await insertVisit(t, w);
    const ok = await t
      .http()
      .post('/postback')
      .set('content-type', form)
      .send(`clickid=${click}&note=`.concat('x'.repeat(60 * 1024)));
    assert.equal(ok.status, 200, ok.text.slice(0, 200));
    assert.equal(ok.body.status, 'accepted');
    assert.equal(await countRows(t, `SELECT 1 FROM postbacks WHERE code = 'PAYLOAD_TOO_LARGE'`), 1);
  });

  it('bodies that cannot be parsed are 400 and logged', async () => {
    const json = await t.http().post('/postback').set('content-type', 'application/json').send('{"clickid": ');
    assert.equal(json.status, 400);
    const xml = await t.http().post('/receivers/tradedoubler').set('content-type', 'application/xml').send('<conversion><epi>x</conversion>');
    assert.equal(xml.status, 400);
    assert.equal(xml.body.code, 'UNPARSABLE_BODY');
    const text = await t.http().post('/postback').set('content-type', 'text/plain').send('just words');
    assert.equal(text.status, 400);
    await t.app.get(IntakeHooks).drain();
    assert.equal(await countRows(t, `SELECT 1 FROM postbacks WHERE code = 'UNPARSABLE_BODY'`), 3);
  });

  it('the inbound log never keeps a token, a secret or a raw e-mail', async () => {
    const click = await insertVisit(t, w);
    await t.http().get(`/postback?clickid=${click}&txid=R1&token=TOPSECRET1&eml=Mary.Major@Example.org&note=write+to+bob%40example.com`);
    await t
      .http()
      .post('/postback')
      .send({ clickid: click, txid: 'R2', api_key: 'TOPSECRET2', customer: { email: 'jo@example.net', password: 'TOPSECRET3' } });
    await t
      .http()
      .post('/receivers/tradedoubler')
      .set('content-type', 'application/xml')
      .send(`<c><epi>${click}</epi><transactionId>R3</transactionId><token>TOPSECRET4</token><email>ann@example.com</email></c>`);
    await t
      .http()
      .post('/postback')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`clickid=${click}&txid=R4&secret=TOPSECRET5&eml=zed%40example.com`);
    const dump = JSON.stringify(await t.db.query(`SELECT * FROM postbacks`)) + JSON.stringify(await t.db.query(`SELECT * FROM conversions`));
    for (const secret of [
      'TOPSECRET',
      'mary.major',
      'Mary.Major',
      'bob@example',
      'bob%40example',
      'jo@example',
      'ann@example',
      'zed%40example',
      'zed@example',
    ]) {
      assert.ok(!dump.includes(secret), `${secret} is stored`);
    }
    const hash = createHash('sha256').update('mary.major@example.org').digest('hex');
    assert.ok(dump.includes(hash), 'the e-mail is kept as its SHA-256');
  });
});

describe('conversions in: the global token and the rate limit', () => {
  let t: TestApp;
  let w: ConversionWorld;
  before(async () => {
    t = await startTestApp({ POSTBACK_TOKEN: 'global-secret', RATE_LIMIT_PER_MINUTE: '5' });
    w = await makeWorld(t);
  });
  after(() => t.close());

  it('POSTBACK_TOKEN applies where the network has none; pixels need none', async () => {
    const click = await insertVisit(t, w);
    assert.equal((await t.http().get(`/postback?clickid=${click}`).set('x-forwarded-for', '192.0.2.1')).status, 401);
    assert.equal((await t.http().get(`/postback?clickid=${click}&token=global-secret`).set('x-forwarded-for', '192.0.2.1')).body.status, 'accepted');
    assert.equal((await t.http().get(`/a.gif?h=${click}&c=2`).set('x-forwarded-for', '192.0.2.1')).status, 200);
    assert.equal(await countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1`, [click]), 2);
  });

  it('more calls a minute than allowed from one address are 429; the pixel is not limited', async () => {
    const click = await insertVisit(t, w);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await t.http().get(`/postback?clickid=${click}&token=global-secret`).set('x-forwarded-for', '198.51.100.9')).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
    const limited = await t.http().get(`/postback?clickid=${click}`).set('x-forwarded-for', '198.51.100.9');
    assert.equal(limited.body.code, 'RATE_LIMITED');
    assert.equal((await t.http().get(`/postback?clickid=${click}&token=global-secret`).set('x-forwarded-for', '198.51.100.10')).status, 200, 'another address');
    for (let i = 0; i < 10; i++) assert.equal((await t.http().get(`/a.gif?h=${click}`).set('x-forwarded-for', '198.51.100.9')).status, 200);
    // Logged once per address and minute (the log write follows the answer).
    await t.app.get(IntakeHooks).drain();
    const [entry] = await t.db.query(`SELECT id FROM postbacks WHERE code = 'RATE_LIMITED'`);
    assert.equal(await countRows(t, `SELECT 1 FROM postbacks WHERE code = 'RATE_LIMITED'`), 1);
    const replay = await t.http().post(`/api/v1/postbacks/${entry.id}/replay`).set(t.auth);
    assert.equal(replay.status, 409, 'the sender of a 429 sends again: no replay');
  });
});
