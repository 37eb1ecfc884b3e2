import geoip from 'geoip-lite';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectedByCountry, planDemo } from '../../scripts/demo/demo.plan';
import { conversionRequest } from '../../scripts/demo/demo.requests';
import { formatMoney, formatRatio, renderTable } from '../../scripts/demo/demo.table';
import { MARKETS } from '../../scripts/demo/demo.world';

describe('demo plan', () => {
  it('is the same for the same seed and another for another seed', () => {
    assert.deepEqual(planDemo(7, 300), planDemo(7, 300));
    assert.notDeepEqual(planDemo(7, 300).clicks, planDemo(8, 300).clicks);
  });

  it('uses every network format and plans a repeat, approvals, a late message and a chargeback', () => {
    const plan = planDemo(20240611, 300);
    assert.deepEqual(
      new Set(plan.conversions.map((c) => c.format)),
      new Set(['postback', 'postback-json', 'pixel', 'trackdesk', 'tradedoubler', 'tradetracker']),
    );
    assert.deepEqual(new Set(plan.lifecycle.map((m) => m.why)), new Set(['repeat', 'status change', 'late message', 'chargeback']));
    const txids = plan.conversions.map((c) => c.txid).filter(Boolean);
    assert.equal(new Set(txids).size, txids.length, 'one network: transaction ids never repeat across formats');
    const expected = [...expectedByCountry(plan).values()];
    assert.equal(
      expected.reduce((s, r) => s + r.clicks, 0),
      300,
    );
    assert.equal(
      expected.reduce((s, r) => s + r.conversions, 0),
      plan.conversions.filter((c) => c.finalStatus !== 'declined').length,
    );
  });

  it('gives each market addresses the bundled geo data places in that country', () => {
    for (const m of MARKETS) {
      for (const prefix of m.prefixes) {
        for (let i = 1; i <= 254; i++) assert.equal(geoip.lookup(`${prefix}.${i}`)?.country, m.country, `${prefix}.${i}`);
      }
    }
  });

  it('sends the postback token on every call but the pixel', () => {
    const plan = planDemo(20240611, 300);
    for (const m of [...plan.first, ...plan.lifecycle]) {
      const req = conversionRequest(m, { clickId: 'CLICK', networkId: 'NET', token: 'TOKEN' });
      assert.equal(req.path.includes('token=TOKEN'), m.conversion.format !== 'pixel', req.path);
      assert.ok(req.path.includes('CLICK') || JSON.stringify(req.json).includes('CLICK'), req.label);
    }
  });
});

describe('demo table', () => {
  it('formats money, ratios and aligned columns', () => {
    assert.equal(formatMoney(1234.5), '1,234.50');
    assert.equal(formatMoney(-0.3), '-0.30');
    assert.equal(formatRatio(0.4512), '+45.1%');
    assert.equal(formatRatio(-1), '-100.0%');
    assert.equal(formatRatio(null), 'n/a');
    const text = renderTable(
      [
        { title: 'A', align: 'left' },
        { title: 'Amount', align: 'right' },
      ],
      [
        ['long name', '1.00'],
        ['x', '1,000.00'],
      ],
      ['Total', '1,001.00'],
    );
    assert.deepEqual(text.split('\n'), [
      'A            Amount',
      '---------  --------',
      'long name      1.00',
      'x          1,000.00',
      '---------  --------',
      'Total      1,001.00',
      '',
    ]);
  });
});
