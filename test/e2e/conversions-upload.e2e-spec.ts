import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../src/common/ids';
import { conversion, ConversionWorld, countRows, created, insertVisit, makeWorld } from '../support/conversion-world';
import { fieldsOf } from '../support/error-fields';
import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §3 `POST /api/v1/conversions/upload`: CSV or JSON rows, each through the postback rules. */
describe('conversions upload', () => {
  let t: TestApp;
  let w: ConversionWorld;
  const upload = (body: string, type = 'text/csv', auth: Record<string, string> = t.auth) =>
    t.http().post('/api/v1/conversions/upload').set(auth).set('content-type', type).send(body);
  const logged = (conversionId: string) => t.db.query(`SELECT endpoint, outcome FROM postbacks WHERE conversion_id = $1 ORDER BY id`, [conversionId]);

  before(async () => {
    t = await startTestApp();
    w = await makeWorld(t); // dynamic offer, 92.40 USD
  });
  after(() => t.close());

  it('CSV: new, updated, a duplicate of an earlier postback, unattributed and rejected rows, in order', async () => {
    const a = await insertVisit(t, w);
    const b = await insertVisit(t, w);
    const earlier = await t.http().get(`/postback?clickid=${b}&payout=20&txid=UP-B&status=approved`);
    assert.equal(earlier.body.status, 'accepted');
    const stranger = mintId();
    const csv = [
      'clickId,transactionId,payout,currency,status,type,time',
      `${a},UP-A,10,EUR,pending,,`,
      `${a},UP-A,10,EUR,approved,,`,
      `${b},UP-B,20,,approved,,`,
      `${stranger},UP-C,5,,pending,,`,
      `,UP-D,5,,approved,,`,
      `${a},UP-E,ten,,approved,,`,
      '',
    ].join('\r\n');
    const r = await upload(csv);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      { ...r.body, errors: r.body.errors.map((e: { row: number; code: string }) => [e.row, e.code]) },
      {
        rows: 6,
        accepted: 1,
        updated: 1,
        duplicate: 1,
        unattributed: 1,
        rejected: 2,
        errors: [
          [5, 'MISSING_CLICK_ID'],
          [6, 'INVALID_AMOUNT'],
        ],
      },
    );
    for (const e of r.body.errors) assert.equal(typeof e.message, 'string');

    const [aId] = (await t.db.query(`SELECT id FROM conversions WHERE click_id = $1 AND transaction_id = 'UP-A'`, [a])).map((x: { id: string }) => x.id);
    const c = await conversion(t, aId);
    assert.deepEqual([c.status, c.payload.data.payout, c.currency], ['approved', 10, 'EUR']);
    assert.deepEqual(
      c.history.map((h: { source: string; status: string }) => [h.source, h.status]),
      [
        ['upload', 'pending'],
        ['upload', 'approved'],
      ],
    );
    assert.deepEqual(await logged(aId), [
      { endpoint: 'upload', outcome: 'accepted' },
      { endpoint: 'upload', outcome: 'updated' },
    ]);
    // Every row is in the inbound log, the rejected ones too, with source "upload".
    const log = await t.http().get('/api/v1/postbacks?status=rejected&limit=10').set(t.auth);
    const rejected = log.body.items.filter((p: { source: string }) => p.source === 'upload');
    assert.deepEqual(rejected.map((p: { code: string }) => p.code).sort(), ['INVALID_AMOUNT', 'MISSING_CLICK_ID']);
    assert.equal(await countRows(t, `SELECT 1 FROM conversions WHERE click_id = $1`, [b]), 1, 'the earlier postback and the row are one conversion');
  });

  it('JSON: numbers, a time of its own, and a column this contract does not name is rejected and logged', async () => {
    // A click two minutes ago (ids are monotonic, so this one is made by hand).
    const click = await insertVisit(t, w, (Date.now() - 120_000).toString(16).padStart(12, '0') + mintId().slice(12));
    const at = new Date(Date.now() - 60_000).toISOString();
    const rows = [
      { clickId: click, transactionId: 'UPJ-1', payout: 7.5, status: 'approved', time: at },
      { clickId: click, transactionId: 'UPJ-2', payout: 1, comission: 3 },
      'not a row',
    ];
    const r = await upload(JSON.stringify(rows), 'application/json');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.rows, r.body.accepted, r.body.rejected], [3, 1, 2]);
    assert.equal(r.body.errors[0].row, 2);
    assert.equal(r.body.errors[0].code, 'UNKNOWN_FIELD');
    assert.match(r.body.errors[0].message, /comission/);
    assert.equal(r.body.errors[1].row, 3);
    const [row] = await t.db.query(`SELECT id, created_at FROM conversions WHERE transaction_id = 'UPJ-1'`);
    assert.equal(new Date(row.created_at).toISOString(), at, 'the row time is the conversion time');
    assert.equal((await conversion(t, row.id)).payload.data.payout, 7.5);
  });

  it('refuses the whole upload when it cannot be read, writing nothing', async () => {
    const before = await countRows(t, `SELECT 1 FROM postbacks`);
    const unknown = await upload('clickId,payout,subid\nx,1,2\n');
    assert.equal(unknown.status, 400, unknown.text);
    assert.match(fieldsOf(unknown.body).body.join(' '), /unknown column "subid"/);
    const noClick = await upload('transactionId,payout\nx,1\n');
    assert.equal(noClick.status, 400);
    const ragged = await upload('clickId,payout\nx,1,2\n');
    assert.equal(ragged.status, 400, ragged.text);
    assert.match(fieldsOf(ragged.body).body.join(' '), /cannot be read/);
    const notArray = await upload('{"clickId": "x"}', 'application/json');
    assert.equal(notArray.status, 400);
    const empty = await upload('clickId,payout\n');
    assert.equal(empty.status, 400);
    const xml = await upload('<rows/>', 'application/xml');
    assert.equal(xml.status, 415);
    const big = ['clickId,payout', ...Array.from({ length: 50_001 }, (_, i) => `c${i},1`)].join('\n');
    const tooMany = await upload(big);
    assert.equal(tooMany.status, 413, tooMany.text);
    assert.match(tooMany.body.message, /50,000 rows/);
    assert.equal(await countRows(t, `SELECT 1 FROM postbacks`), before, 'nothing was logged or recorded');

    const reader = (await created(t, '/api-keys', { name: 'r', scope: 'read' })).key;
    assert.equal((await upload('clickId\nx\n', 'text/csv', { authorization: `Bearer ${reader}` })).status, 403);
  });
});
