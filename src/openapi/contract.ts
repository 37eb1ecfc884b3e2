import type { OpenAPIObject } from '@nestjs/swagger';
import { DIMENSIONS } from '../modules/reports/dimension.registry';
import { receiverRoutes, type Receiver } from '../modules/conversions/intake/receivers';
import { RESPONSE_SCHEMAS } from './schemas';

type Schema = Record<string, unknown>;
interface Answer {
  description?: string;
  content?: Record<string, { schema?: Schema; example?: unknown }>;
}
/** An operation of the document, as far as this file reads and writes it. */
interface Op {
  responses?: Record<string, Answer>;
  security?: unknown[];
  parameters?: Schema[];
  requestBody?: unknown;
  summary?: string;
  description?: string;
}

const $ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description = 'OK', example?: unknown) => ({
  description,
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
});
const page = (item: Schema) => ({
  type: 'object',
  properties: { items: { type: 'array', items: item }, nextCursor: { type: 'string', nullable: true } },
  required: ['items', 'nextCursor'],
});
const query = (name: string, description: string, schema: Schema = { type: 'string' }, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});

/** The conversion receivers by their path in the document (`/postback/{networkId}`), from the registry. */
const INTAKE: ReadonlyMap<string, Receiver> = new Map(receiverRoutes().map(({ url, receiver }) => [url.replace(/:(\w+)/g, '{$1}'), receiver]));
const CRUD: Record<string, string> = {
  'api-keys': 'CreateApiKeyDto',
  'traffic-sources': 'UpdateTrafficSourceDto',
  'affiliate-networks': 'UpdateAffiliateNetworkDto',
  offers: 'UpdateOfferDto',
  'landing-pages': 'UpdateLandingPageDto',
  'conversion-types': 'UpdateConversionTypeDto',
  campaigns: 'UpdateCampaignDto',
  subscriptions: 'SubscriptionDto',
};

/** A view of a managed resource: its body's fields (each may be null) plus the ids and times every view has. */
function viewOf(doc: OpenAPIObject, dto: string): Schema {
  const body = (doc.components?.schemas?.[dto] ?? {}) as { properties?: Record<string, Schema> };
  const properties: Record<string, Schema> = {};
  for (const [k, v] of Object.entries(body.properties ?? {})) properties[k] = { ...v, nullable: true };
  return {
    type: 'object',
    properties: {
      id: { type: 'string' },
      ...properties,
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
    required: ['id'],
  };
}

/**
 * Completes the document Nest builds from the controllers and DTOs into the API's contract
 * (issue 10): API-key security (bearer or X-Api-Key, not JWT), one error schema on every error
 * status, response schemas, the query parameters of lists and reports, intake examples in each
 * network's format, and the click routes registered outside Nest (`/c/{key}`, `/lp/click`).
 */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  const components = (doc.components ??= {});
  components.securitySchemes = {
    apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`tk_…`, or ADMIN_API_KEY) as `Authorization: Bearer <key>`' },
    apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same API key in `X-Api-Key`' },
  };
  const schemas = (components.schemas ??= {}) as Record<string, Schema>;
  // `string | number` reaches the document as `type: object` beside its `oneOf`: the oneOf is the truth.
  for (const s of Object.values(schemas))
    for (const p of Object.values((s.properties ?? {}) as Record<string, Schema>)) if (p.oneOf && p.type === 'object') delete p.type;
  Object.assign(schemas, RESPONSE_SCHEMAS);
  for (const dto of Object.values(CRUD)) schemas[`${dto.replace(/^(Create|Update)|Dto$/g, '')}View`] = viewOf(doc, dto);
  const error = (description: string) => json($ref('Error'), description);

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Op>)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const secured = Array.isArray(op.security) && op.security.length > 0;
      if (secured) op.security = [{ apiKey: [] }, { apiKeyHeader: [] }];
      const responses = op.responses;
      const receiver = INTAKE.get(path);
      if (receiver) {
        // Intake answers 200 to every call it read, the rejected ones included (SPEC §6).
        if (responses['201']) {
          responses['200'] = responses['201'];
          delete responses['201'];
        }
        const pixel = receiver.adapter === 'pixel';
        responses['200'] = pixel
          ? { description: 'Always a 1×1 GIF, whatever happened (SPEC §6)', content: { 'image/gif': { schema: { type: 'string', format: 'binary' } } } }
          : json($ref('IntakeAnswer'), 'What became of the call; a call understood and refused is `rejected` with its code');
        if (!pixel) {
          responses['400'] = error('UNPARSABLE_BODY');
          responses['401'] = error('INVALID_TOKEN');
          responses['403'] = error('IP_NOT_ALLOWED');
          if (path.includes('{networkId}')) responses['404'] = error('UNKNOWN_NETWORK');
          responses['413'] = error('PAYLOAD_TOO_LARGE');
          responses['429'] = error('RATE_LIMITED (Retry-After)');
          responses['503'] = error('DATABASE_UNAVAILABLE (Retry-After): send it again');
        }
        const ex = receiver.example;
        op.summary ??= ex.summary;
        if (method === 'post' && ex.body !== undefined && !op.requestBody)
          op.requestBody = { content: { 'application/json': { schema: { type: 'object' }, example: ex.body } } };
        if (ex.query) op.description = `${op.description ? `${op.description}\n\n` : ''}Example: \`${path}?${ex.query}\``;
      }
      if (secured) {
        responses['401'] ??= error('No API key, or not a valid one');
        responses['403'] ??= error('A read key may only read');
      }
      if (/\{(id|networkId)\}/.test(path) && !path.endsWith('a.gif')) responses['404'] ??= error('Not found');
      if (['post', 'put', 'patch'].includes(method)) responses['400'] ??= error('VALIDATION_FAILED: `fields` names each bad or unknown field');
      if (path.startsWith('/api/v1')) responses['503'] ??= error('DATABASE_UNAVAILABLE');
      describeResponse(path, method, op);
    }
  }
  addClickRoutes(doc);
  return doc;
}

/** The success answer's schema, and the query parameters, of the operations Nest leaves bare. */
function describeResponse(path: string, method: string, op: Op): void {
  const responses = op.responses!;
  const ok = responses['200'] ?? responses['201'];
  const set = (schema: Schema) => {
    if (!ok || ok.content?.['application/json']?.schema) return;
    ok.content = { 'application/json': { schema } };
  };
  const m = /^\/api\/v1\/([a-z-]+)(\/\{id\})?$/.exec(path);
  const resource = m?.[1];
  const dto = resource ? CRUD[resource] : undefined;
  const params = (op.parameters ??= []);
  const has = (name: string) => params.some((p) => p.name === name && p.in === 'query');
  const addQuery = (...list: Schema[]) => list.forEach((p) => !has(String(p.name)) && params.push(p));
  if (dto) {
    const view = $ref(`${dto.replace(/^(Create|Update)|Dto$/g, '')}View`);
    if (m![2] || method !== 'get') set(view);
    else {
      set(page(view));
      addQuery(query('limit', 'Items per page (1-1000, default 100)', { type: 'integer' }), query('cursor', 'The `nextCursor` of the previous page'));
    }
  }
  if (path === '/api/v1/conversions' && method === 'get') {
    set(page($ref('ConversionView')));
    addQuery(
      query('from', 'Conversions at or after this time (ISO 8601)', { type: 'string', format: 'date-time' }),
      query('to', 'Before this time', { type: 'string', format: 'date-time' }),
      ...['campaignId', 'offerId', 'affiliateNetworkId', 'trafficSourceId'].map((n) => query(n, `Only this ${n.replace(/Id$/, '')}`)),
      query('status', 'pending, approved or declined', { type: 'string', enum: ['pending', 'approved', 'declined'] }),
      query('limit', 'Items per page', { type: 'integer' }),
      query('cursor', 'The `nextCursor` of the previous page'),
    );
  }
  if (/^\/api\/v1\/conversions\/\{id\}$/.test(path)) set($ref('ConversionView'));
  if (path === '/api/v1/costs') {
    if (method === 'get') {
      set(page($ref('CostUpdateView')));
      addQuery(query('limit', 'Items per page', { type: 'integer' }), query('cursor', 'The `nextCursor` of the previous page'));
    } else set($ref('CostUpdateView'));
  }
  if (path === '/api/v1/conversions/upload') {
    set($ref('UploadAnswer'));
    op.requestBody = {
      required: true,
      content: {
        'text/csv': {
          schema: { type: 'string' },
          example: 'clickId,transactionId,payout,currency,status\n0190f3a2b4c50000a1b2c3d4,ORD-1,12.50,EUR,approved\n',
        },
        'application/json': { schema: { type: 'array', items: { type: 'object' } } },
      },
    };
  }
  if (path === '/api/v1/postbacks' && method === 'get') {
    set(page($ref('PostbackView')));
    addQuery(
      query('status', 'accepted, updated, duplicate, unattributed or rejected'),
      query('limit', 'Items per page', { type: 'integer' }),
      query('cursor', 'Next page'),
    );
  }
  if (path === '/api/v1/postbacks/{id}') set($ref('PostbackView'));
  if (path === '/api/v1/clicks' && method === 'get') {
    set(page($ref('ClickView')));
    addQuery(
      ...['from', 'to'].map((n) => query(n, `Clicks ${n === 'from' ? 'at or after' : 'before'} this time`, { type: 'string', format: 'date-time' })),
      ...['campaignId', 'offerId', 'affiliateNetworkId', 'trafficSourceId'].map((n) => query(n, `Only this ${n.replace(/Id$/, '')}`)),
      query('limit', 'Items per page', { type: 'integer' }),
      query('cursor', 'Next page'),
    );
  }
  if (path === '/api/v1/clicks/{id}') set($ref('ClickView'));
  if (path === '/api/v1/deliveries' || path === '/api/v1/deliveries/messages') {
    set(page({ type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } }, required: ['id'] }));
    addQuery(query('status', 'Only this status'), query('limit', 'Items per page', { type: 'integer' }), query('cursor', 'Next page'));
  }
  if (path === '/api/v1/reports') {
    set($ref('ReportAnswer'));
    op.summary ??= 'A report: one row per group, the metrics of SPEC §8';
    addQuery(
      query(
        'groupBy',
        `Comma-separated dimensions, up to three: ${DIMENSIONS.map((d) => d.name).join(', ')}, or a remapped slot name`,
        { type: 'string', example: 'campaign,country' },
        true,
      ),
      query('from', 'Start, inclusive (ISO 8601)', { type: 'string', format: 'date-time' }, true),
      query('to', 'End, exclusive', { type: 'string', format: 'date-time' }, true),
      query('tz', 'IANA time zone of the time buckets (default UTC)', { type: 'string', example: 'Europe/Berlin' }),
      query('conversionTime', '`conversion` (default) or `visit`: the clock conversions are counted by', { type: 'string', enum: ['conversion', 'visit'] }),
      query('format', '`csv` for CSV (or `Accept: text/csv`)', { type: 'string', enum: ['json', 'csv'] }),
    );
    op.description =
      `${op.description ?? ''}\n\nFilters: any dimension as a parameter (\`country=US&country=DE\`, \`campaign=<id>\`). An unknown dimension or parameter is a 400 naming it.`.trim();
  }
  if (path === '/health' || path === '/health/ready' || path === '/health/live') {
    set($ref('Health'));
    if (path !== '/health/live')
      responses['503'] ??= { description: 'The database does not answer', content: { 'application/json': { schema: $ref('Health') } } };
  }
}

function addClickRoutes(doc: OpenAPIObject): void {
  doc.paths['/c/{key}'] = {
    get: {
      tags: ['clicks'],
      summary: 'The tracking link: records the click and redirects the visitor (SPEC §4)',
      description:
        "Every query parameter is kept on the visit; the traffic source's click id and slots are read from it. The 302 is sent once the visit is durable (or spooled while a database server is away).",
      parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' }, example: 'summer-sale' }],
      responses: {
        '302': { description: 'To the chosen offer or lander, with the click id in its URL; sets the `tt_cid` cookie' },
        '404': { description: 'No such campaign, or every destination capped and no fallback URL' },
        '503': { description: 'Too many clicks waiting, or the database away and the spool full (text/plain)' },
      },
    },
  } as never;
  doc.paths['/lp/click'] = {
    get: {
      tags: ['clicks'],
      summary: "The lander's call to action: records the lander click-through and sends the visitor on to the offer",
      parameters: [{ name: 'cid', in: 'query', required: false, description: 'The click id (else the `tt_cid` cookie)', schema: { type: 'string' } }],
      responses: { '302': { description: 'To the offer of the visit' }, '404': { description: 'No such click' } },
    },
  } as never;
}
