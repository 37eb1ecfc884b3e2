/**
 * Response schemas of the API (SPEC §1-§9) that no DTO class describes: the shared error, the
 * intake's answer, the analytics shapes. Loose where the contract says "more fields may be added"
 * (additional properties allowed), exact in the names and types of the fields it promises.
 */
type Schema = Record<string, unknown>;

const str = { type: 'string' };
const nstr = { type: 'string', nullable: true };
const num = { type: 'number' };
const nnum = { type: 'number', nullable: true };
const int = { type: 'integer' };
const time = { type: 'string', format: 'date-time' };
const ref = (id: boolean) => (id ? { type: 'object', nullable: true, properties: { id: str, name: nstr } } : {});
const obj = (properties: Record<string, unknown>, required: string[] = [], extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
  ...extra,
});

export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  Error: obj(
    {
      statusCode: int,
      error: str,
      code: { type: 'string', description: 'A stable code: VALIDATION_FAILED, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, DATABASE_UNAVAILABLE...' },
      message: str,
      fields: { type: 'array', items: obj({ field: { type: 'string', example: 'destinations[0].weight' }, message: str }, ['field', 'message']) },
    },
    ['statusCode', 'error', 'code', 'message'],
  ),
  IntakeAnswer: obj(
    {
      status: { type: 'string', enum: ['accepted', 'updated', 'duplicate', 'unattributed', 'rejected'] },
      conversionId: str,
      code: { type: 'string', description: 'For `rejected`: MISSING_CLICK_ID, INVALID_AMOUNT, TEST_CONVERSION...' },
      message: str,
    },
    ['status'],
  ),
  Health: obj({ status: { type: 'string', enum: ['ok', 'error'] }, db: { type: 'string', enum: ['up', 'down'] }, spool: int }, ['status']),
  ReportAnswer: obj(
    {
      rows: {
        type: 'array',
        items: obj(
          Object.fromEntries(
            [
              ...['clicks', 'uniqueClicks', 'botClicks', 'conversions', 'approved', 'pending', 'declined', 'landerClicks'].map((m) => [
                m,
                { type: 'integer', nullable: true },
              ]),
              ...['revenue', 'cost', 'profit', 'roi', 'cr', 'epc', 'cpa', 'landerCtr', 'timeToConvert'].map((m) => [m, nnum]),
            ].map(([k, v]) => [k, v]),
          ),
          [],
          { description: 'Each grouped dimension under its name (an entity as {id, name}), then the metrics.' },
        ),
      },
      missingRates: { type: 'array', items: str },
    },
    ['rows'],
  ),
  ConversionView: obj(
    {
      id: str,
      type: { type: 'string', enum: ['conversion'] },
      visitEvent: { type: 'object', nullable: true, properties: { id: str, type: str, created_at: time } },
      destination: obj({
        campaign: ref(true),
        category: nstr,
        url: nstr,
        trafficSource: ref(true),
        affiliateNetwork: ref(true),
        offer: ref(true),
        offerLink: ref(true),
        landingPage: ref(true),
      }),
      source: { type: 'object' },
      client: { type: 'object' },
      geo: { type: 'object' },
      payload: obj({ data: obj({ conversion_type: nstr, conversion_id: str, payout: num, cost: num, costCents: int, payoutCents: int }) }),
      created_at: time,
      timeToConvert: nnum,
      status: { type: 'string', enum: ['pending', 'approved', 'declined'] },
      currency: str,
      transactionId: nstr,
      clickId: nstr,
      history: {
        type: 'array',
        items: obj({
          createdAt: time,
          status: str,
          payout: num,
          currency: nstr,
          reportedAmount: nnum,
          sequenceNumber: { type: 'integer', nullable: true },
          postbackId: nstr,
          note: nstr,
          source: { type: 'string', nullable: true, enum: ['postback', 'upload', 'click', 'manual', null] },
          actor: nstr,
        }),
      },
    },
    ['id', 'type', 'visitEvent', 'destination', 'payload', 'created_at', 'status', 'currency', 'history'],
  ),
  PostbackView: obj(
    {
      id: str,
      createdAt: time,
      status: { type: 'string', enum: ['accepted', 'updated', 'duplicate', 'unattributed', 'rejected'] },
      code: nstr,
      reason: nstr,
      notes: { type: 'array', items: str },
      endpoint: str,
      source: { type: 'string', enum: ['network', 'upload'] },
      method: str,
      url: str,
      headers: { type: 'object' },
      body: nstr,
      ip: nstr,
      affiliateNetworkId: nstr,
      conversionId: nstr,
      replayOf: nstr,
      replayedBy: nstr,
      replayable: { type: 'boolean' },
    },
    ['id', 'createdAt', 'status', 'endpoint', 'method', 'url', 'replayable'],
  ),
  ClickView: obj({ id: str, type: str, created_at: time, payload: { type: 'object' }, client: { type: 'object' }, geo: { type: 'object' } }, [
    'id',
    'created_at',
  ]),
  CostUpdateView: obj(
    {
      id: str,
      campaignId: str,
      from: time,
      to: time,
      amount: num,
      currency: str,
      visits: { ...int, description: 'How many visits the amount was spread over' },
      created_at: time,
    },
    ['id', 'campaignId', 'from', 'to', 'amount', 'currency', 'visits', 'created_at'],
  ),
  UploadAnswer: obj(
    {
      rows: int,
      accepted: int,
      updated: int,
      duplicate: int,
      unattributed: int,
      rejected: int,
      errors: { type: 'array', items: obj({ row: int, code: str, message: str }, ['row', 'code', 'message']) },
    },
    ['rows', 'accepted', 'updated', 'duplicate', 'unattributed', 'rejected', 'errors'],
  ),
};
