import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../src/common/ids';
import { OpenApiResponses } from '../support/openapi-check';
import { startTestApp, TestApp } from '../support/test-app';

type Json = Record<string, any>;

/**
 * Issue 10: the OpenAPI document is the contract. It validates as OpenAPI, documents nearly every
 * schema and answer, and the real answers of the management, analytics and intake endpoints match
 * the schemas it documents, so the document and the behaviour cannot drift apart.
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Json;
  let responses: OpenApiResponses;

  before(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/api/docs/json')).body;
    responses = new OpenApiResponses(doc);
  });
  after(() => t.close());

  it('is valid OpenAPI (checked by @seriousme/openapi-schema-validator)', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(structuredClone(doc));
    assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    assert.equal(result.valid, true);
  });

  it('documents schemas, answers, the API-key scheme, report parameters and the click routes', () => {
    const schemas = Object.values(doc.components.schemas) as Json[];
    const described = schemas.filter((s) => s.properties || s.oneOf || s.anyOf || s.allOf || s.items || s.enum);
    assert.ok(described.length / schemas.length >= 0.9, `${described.length} of ${schemas.length} schemas have properties`);
    const ops: string[] = [];
    const bare: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Json))
      for (const [method, op] of Object.entries(item as Json)) {
        ops.push(`${method} ${path}`);
        const ok = Object.entries(op.responses as Json).filter(([s]) => /^[23]/.test(s));
        const documented = ok.some(
          ([s, r]) => s === '204' || s === '302' || s === '202' || Object.values((r as Json).content ?? {}).some((c) => (c as Json).schema),
        );
        if (!documented) bare.push(`${method.toUpperCase()} ${path}`);
      }
    assert.ok(1 - bare.length / ops.length >= 0.9, `operations without a response schema (${bare.length} of ${ops.length}): ${bare.join(', ')}`);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKey', 'apiKeyHeader']);
    assert.ok(!JSON.stringify(doc.components.securitySchemes).includes('JWT'));
    assert.equal(doc.components.securitySchemes.apiKeyHeader.name, 'X-Api-Key');
    const reportParams = doc.paths['/api/v1/reports'].get.parameters.map((p: Json) => p.name);
    for (const p of ['groupBy', 'from', 'to', 'tz']) assert.ok(reportParams.includes(p), `reports document ${p}`);
    assert.ok(doc.paths['/c/{key}']?.get, '/c/{key}');
    assert.ok(doc.paths['/lp/click']?.get, '/lp/click');
    assert.ok(doc.paths['/postback'].post.responses['200'], 'POST /postback answers 200');
    assert.ok(!doc.paths['/postback'].post.responses['201']);
    assert.ok(doc.components.schemas.Error.properties.fields, 'one error schema with the fields list');
  });

  it('real answers match the documented schemas (management, analytics, intake, errors)', async () => {
    const problems: string[] = [];
    const call = async (method: 'get' | 'post' | 'patch' | 'put' | 'delete', url: string, body?: object, auth = true) => {
      let req = t.http()[method](url);
      if (auth) req = req.set(t.auth);
      const r = body === undefined ? await req : await req.send(body);
      if (r.status !== 204 && r.headers['content-type']?.includes('json')) problems.push(...responses.problems(method, url, r.status, r.body));
      return r;
    };
    const ts = (await call('post', '/api/v1/traffic-sources', { name: 'src', clickIdParam: 'clickid', params: [{ param: 'utm_source', as: 'source' }] })).body;
    const net = (await call('post', '/api/v1/affiliate-networks', { template: 'tune' })).body;
    const offer = (
      await call('post', '/api/v1/offers', {
        name: 'o',
        affiliateNetworkId: net.id,
        url: 'https://o.example/?aff_sub={click_id}',
        payout: { type: 'dynamic', amount: '5', currency: 'USD' },
        links: [{ name: 'deep', url: 'https://o.example/deep?aff_sub={click_id}' }],
      })
    ).body;
    const lp = (await call('post', '/api/v1/landing-pages', { name: 'lp', url: 'https://lp.example/?cid={click_id}' })).body;
    const camp = (
      await call('post', '/api/v1/campaigns', {
        key: `oa-${mintId().slice(-6)}`,
        name: 'c',
        trafficSourceId: ts.id,
        cost: { model: 'cpc', amount: '0.02', currency: 'USD' },
        destinations: [{ offerId: offer.id, landingPageId: lp.id, weight: 100 }],
      })
    ).body;
    await call('post', '/api/v1/conversion-types', { code: `oa${mintId().slice(-4)}`, name: 'OA' });
    await call('post', '/api/v1/subscriptions', { receivers: [{ httpMethod: 'GET', receiverUrl: 'https://hooks.example/x?c=${conversionId}' }] });
    await call('post', '/api/v1/api-keys', { name: 'reader', scope: 'read' });
    const click = await t.http().get(`/c/${camp.key}?clickid=EXT&utm_source=blog`);
    assert.equal(click.status, 302);
    const clickId = new URL(click.headers.location).searchParams.get('cid')!;
    const pb = await call('get', `/postback/${net.id}?clickid=${clickId}&payout=7&txid=OA-1`, undefined, false);
    assert.equal(pb.body.status, 'accepted');
    await call('get', `/postback?payout=1`, undefined, false);
    await call('post', `/postback`, { clickid: mintId(), txid: 'OA-2' }, false);

    for (const r of ['traffic-sources', 'affiliate-networks', 'offers', 'landing-pages', 'conversion-types', 'campaigns', 'subscriptions', 'api-keys']) {
      const list = await call('get', `/api/v1/${r}`);
      assert.equal(list.status, 200, r);
      await call('get', `/api/v1/${r}/${list.body.items[0].id}`);
    }
    await call('patch', `/api/v1/campaigns/${camp.id}`, { name: 'renamed' });
    await call('patch', `/api/v1/offers/${offer.id}`, { nmae: 'typo' });
    await call('get', `/api/v1/campaigns/nope`);
    await call('get', `/api/v1/conversions`);
    await call('get', `/api/v1/conversions/${pb.body.conversionId}`);
    await call('patch', `/api/v1/conversions/${pb.body.conversionId}`, { status: 'approved', note: 'checked' });
    await call('post', '/api/v1/costs', {
      campaignId: camp.id,
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
      amount: '3',
      currency: 'USD',
    });
    await call('get', '/api/v1/costs');
    await call('get', `/api/v1/postbacks`);
    await call('get', `/api/v1/clicks`);
    await call('get', `/api/v1/clicks/${clickId}`);
    const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    await call('get', `/api/v1/reports?groupBy=campaign,country&${range}`);
    await call('get', `/api/v1/reports?groupBy=bogus&${range}`);
    await call('get', '/api/v1/conversions', undefined, false);
    await call('get', '/health', undefined, false);
    assert.deepEqual(problems, []);
    assert.ok(responses.checked.length >= 35, `${responses.checked.length} answers checked`);
  });
});
