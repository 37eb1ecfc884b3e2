import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestApp } from '../support/test-app';
import { fieldsOf } from '../support/error-fields';

/** SPEC §3: a management body holding a field the contract does not name is a 400 naming it; nothing is stored. */
describe('unknown fields in management bodies', () => {
  let t: TestApp;
  let offerId: string;
  before(async () => {
    t = await startTestApp();
    const offer = await t.http().post('/api/v1/offers').set(t.auth).send({ name: 'o', url: 'https://offer.example/?c={click_id}' });
    assert.equal(offer.status, 201, offer.text);
    offerId = offer.body.id;
  });
  after(() => t.close());

  const send = (method: 'post' | 'patch' | 'put', path: string, body: object) => t.http()[method](`/api/v1${path}`).set(t.auth).send(body);
  const count = async (path: string) => ((await t.http().get(`/api/v1${path}?limit=1000`).set(t.auth)).body.items as unknown[]).length;

  const refused = (r: { status: number; body: { code?: string }; text: string }, field: string, message = /^is not a field of this body$/) => {
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.match(fieldsOf(r.body)[field.replace(/\[(\d+)\]/g, '.$1')]?.join() ?? '', message, r.text);
    assert.ok(
      (r.body as { fields: { field: string }[] }).fields.some((f) => f.field === field),
      `the wire path is ${field}: ${r.text}`,
    );
  };

  const creates: [string, () => object][] = [
    ['/traffic-sources', () => ({ name: 'ts', clickIdParam: 'clickid', costParm: 'cost' })],
    ['/affiliate-networks', () => ({ name: 'n', kind: 'generic', postbackTokn: 'x' })],
    ['/offers', () => ({ name: 'o2', url: 'https://offer.example/', payot: { type: 'fixed', amount: '1', currency: 'USD' } })],
    ['/landing-pages', () => ({ name: 'lp', url: 'https://lp.example/', tracking: true })],
    ['/conversion-types', () => ({ code: 'trial', name: 'Trial', multiple: true })],
    ['/api-keys', () => ({ name: 'k', scope: 'read', expires: '2030-01-01' })],
    ['/campaigns', () => ({ name: 'c', destinations: [{ offerId, weight: 100 }], costModel: 'cpc' })],
    ['/subscriptions', () => ({ subscriptionName: 's', receivers: [{ httpMethod: 'GET', receiverUrl: 'https://rx.example/' }], programIdz: [1] })],
  ];
  for (const [path, body] of creates) {
    it(`POST ${path} refuses the misspelt field and stores nothing`, async () => {
      const before = await count(path);
      const field = Object.keys(body()).at(-1)!;
      refused(await send('post', path, body()), field);
      assert.equal(await count(path), before);
    });
  }

  it('nested objects and arrays name the path as the body has it', async () => {
    refused(await send('post', '/campaigns', { name: 'c', destinations: [{ offerId, wieght: 100 }] }), 'destinations[0].wieght');
    refused(
      await send('post', '/campaigns', {
        name: 'c',
        destinations: [{ offerId, weight: 1 }],
        rules: [{ name: 'r', when: { contry: ['US'] }, destinations: [{ offerId, weight: 1 }] }],
      }),
      'rules[0].when.contry',
      /unknown criterion 'contry'/,
    );
    refused(
      await send('post', '/offers', { name: 'o3', url: 'https://offer.example/', links: [{ name: 'l', url: 'https://l.example/', tag: 'x' }] }),
      'links[0].tag',
    );
    refused(
      await send('post', '/subscriptions', { subscriptionName: 's', receivers: [{ httpMethod: 'GET', receiverUrl: 'https://rx.example/', retries: 3 }] }),
      'receivers[0].retries',
    );
  });

  it('PATCH and PUT refuse them too, and the object keeps what it had', async () => {
    const lp = await send('post', '/landing-pages', { name: 'keep', url: 'https://lp.example/' });
    assert.equal(lp.status, 201, lp.text);
    refused(await send('patch', `/landing-pages/${lp.body.id}`, { name: 'changed', colour: 'red' }), 'colour');
    assert.equal((await t.http().get(`/api/v1/landing-pages/${lp.body.id}`).set(t.auth)).body.name, 'keep');
    refused(await send('put', '/exchange-rates', { base: 'USD', rates: { EUR: '0.9' }, source: 'ecb' }), 'source');
    assert.deepEqual((await t.http().get('/api/v1/exchange-rates').set(t.auth)).body.rates, {});
  });
});
