import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestApp, TestApp } from '../support/test-app';
import { ConversionWorld, created, insertVisit, makeWorld } from '../support/conversion-world';

/** Whatever a caller sends, the conversion endpoints never answer 5xx (SPEC §6). */
describe('conversions in: arbitrary calls never fail the server', () => {
  let t: TestApp;
  let w: ConversionWorld;
  let click: string;
  let networks: string[];
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    w = await makeWorld(t);
    click = await insertVisit(t, w);
    const mapped = await created(t, '/affiliate-networks', { name: 'mapped', params: { clickId: 'sub', payout: 'p' }, statusMap: { '1': 'approved' } });
    const td = await created(t, '/affiliate-networks', { name: 'td', kind: 'tradedoubler' });
    networks = [w.networkId, mapped.id, td.id, 'no-such-network', '%E2%82', '..', '%2F'];
  });
  after(() => t.close());

  const names = [
    'clickid',
    'click_id',
    'cid',
    'subid',
    'aff_sub',
    'h',
    'c',
    'a',
    'payout',
    'amount',
    'sum',
    'txid',
    'tid',
    'pid',
    'status',
    'currency',
    'type',
    'et',
    'epi',
    'transactionId',
    'orderValue',
    'publisherCommission',
    'messageTypeId',
    'sequenceNumber',
    'eventTypeId',
    'data',
    'tam',
    'event',
    'eml',
    'token',
    'api_key',
    'amount.value',
    'currency.code',
    'conversionTypeCode',
    '__proto__',
    'constructor',
    'amp;pid',
  ];
  const special = () =>
    fc.constantFrom(
      click,
      `${click} `,
      click.toUpperCase(),
      '{payout}',
      '%7Bclickid%7D',
      '#s2#',
      'REPLACE',
      '-1',
      '-0',
      '0',
      '12,50',
      '1E+21',
      'NaN',
      '99999999999999999999999',
      '0.000000001',
      'test',
      'CONVERSION_STATUS_TEST',
      'approved',
      'P',
      '5',
      'EUR',
      'eu',
      '',
      '%',
      '%zz',
      '%00',
      '%ED%A0%80',
      '\u0000',
      '💥',
      'a'.repeat(3000),
      '1',
      'lead',
      'sales',
      'cps',
      'x:y:z',
    );
  const text = () => fc.oneof(special(), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
  // Mostly encoded as a client would; sometimes raw, leaving % & = + as they are.
  const encode = (s: string, raw: boolean) =>
    [...Buffer.from(s, 'utf8')]
      .map((b) => {
        const ch = String.fromCharCode(b);
        const keep = raw ? b > 0x20 && b < 0x7f && ch !== '#' : /[A-Za-z0-9_.~-]/.test(ch);
        return keep ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
      })
      .join('');
  const pair = () => fc.tuple(fc.oneof(fc.constantFrom(...names), text()), text(), fc.boolean()).map(([k, v, raw]) => `${encode(k, raw)}=${encode(v, raw)}`);
  const query = () =>
    fc
      .array(
        fc.oneof(
          pair(),
          text().map((s) => encode(s, true)),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join('&'));
  const jsonValue = () => fc.jsonValue({ maxDepth: 3 });
  const body = () =>
    fc.oneof(
      fc
        .tuple(fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string()), fc.oneof(special(), jsonValue())), fc.constant('application/json'))
        .map(([o, ct]) => [JSON.stringify(o), ct] as const),
      fc.tuple(query(), fc.constantFrom('application/x-www-form-urlencoded', 'text/plain')),
      fc.tuple(
        fc
          .array(fc.tuple(fc.constantFrom(...names.filter((n) => /^[a-z]/i.test(n) && !n.includes('.') && !n.includes(';'))), text()), { maxLength: 6 })
          .map((kv) => `<conversion>${kv.map(([k, v]) => `<${k}>${v.replace(/[<&]/g, '')}</${k}>`).join('')}</conversion>`),
        fc.constantFrom('application/xml', 'text/xml', 'text/plain'),
      ),
      fc.tuple(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('application/json', 'application/xml', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x'),
      ),
    );

  const OWN_SEGMENTS = ['c', 'lp', 'postback', 'api', 'receivers', 'tracking', 'health', 'metrics'];
  const getPaths = ['/postback', '/tracking/conversion/v1', '/receivers/tradedoubler', '/receivers/tradetracker'];
  const postPaths = ['/postback', '/tracking/conversion/v1', '/receivers/tradedoubler'];

  it('GET with any query string', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...getPaths), fc.option(fc.constantFrom(...networks), { nil: undefined }), query(), async (path, net, q) => {
        const withNet = net && path !== '/tracking/conversion/v1' ? `${path}/${net}` : path;
        const r = await t.http().get(`${withNet}?${q}`);
        assert.ok(r.status < 500, `${r.status} for ${withNet}?${q}: ${r.text}`);
        if (r.status === 200) assert.ok(['accepted', 'updated', 'duplicate', 'unattributed', 'rejected'].includes(r.body.status), r.text);
        else assert.ok(typeof r.body.code === 'string', r.text);
      }),
      { numRuns: 150 },
    );
  });

  it('POST with any body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...postPaths), query(), body(), async (path, q, [b, contentType]) => {
        const r = await t.http().post(`${path}?${q}`).set('content-type', contentType).send(b);
        assert.ok(r.status < 500, `${r.status} for POST ${path}?${q} (${contentType}) ${b.slice(0, 300)}: ${r.text}`);
      }),
      { numRuns: 150 },
    );
  });

  it('the pixel answers a GIF whatever it is sent', async () => {
    await fc.assert(
      // An account named like another route's first segment (`/c/a.gif`, `/postback/a.gif`) is that route's.
      fc.asyncProperty(
        fc.option(
          fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/).filter((a) => !OWN_SEGMENTS.includes(a)),
          { nil: undefined },
        ),
        query(),
        fc.option(text(), { nil: undefined }),
        async (account, q, cookie) => {
          const path = `${account ? `/${account}` : ''}/a.gif?${q}`;
          const req = t.http().get(path);
          if (cookie !== undefined) req.set('cookie', `tt_cid=${encodeURIComponent(cookie)}`);
          const r = await req;
          assert.equal(r.status, 200, `${path}: ${r.text}`);
          assert.match(r.headers['content-type'] ?? '', /image\/gif/);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the analytics and log reads take any stored call', async () => {
    const list = await t.http().get('/api/v1/postbacks?limit=1000').set(t.auth);
    assert.equal(list.status, 200);
    const conversions = await t.http().get('/api/v1/conversions?limit=1000').set(t.auth);
    assert.equal(conversions.status, 200);
    assert.ok(conversions.body.items.length > 0);
    for (const p of list.body.items.filter((x: { replayable: boolean }) => x.replayable).slice(0, 40)) {
      const r = await t.http().post(`/api/v1/postbacks/${p.id}/replay`).set(t.auth);
      assert.ok(r.status === 200, `replay of ${p.url}: ${r.status} ${r.text}`);
    }
  });
});
