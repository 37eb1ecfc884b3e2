import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findDimension } from './dimension.registry';
import { csvHeader, textCell, toCsv } from './report.csv';

describe('report CSV', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      assert.equal(textCell(`${start}1`).replace(/^"|"$/g, '').startsWith(`'${start}`), true, JSON.stringify(start));
    assert.equal(textCell('a=b'), 'a=b');
  });

  it('quotes per RFC 4180', () => {
    assert.equal(textCell('a,b'), '"a,b"');
    assert.equal(textCell('say "hi"'), '"say ""hi"""');
    assert.equal(textCell('two\nlines'), '"two\nlines"');
    assert.equal(textCell('=1,2'), `"'=1,2"`);
  });

  it('writes entities as id and name columns and leaves numbers alone', () => {
    const groupBy = [findDimension('campaign')!, findDimension('day')!];
    assert.deepEqual(csvHeader(groupBy).slice(0, 4), ['campaignId', 'campaignName', 'day', 'clicks']);
    const csv = toCsv(groupBy, [
      {
        campaign: { id: 'c1', name: '-Promo' },
        day: '2024-03-11',
        clicks: 3,
        uniqueClicks: 3,
        botClicks: 0,
        conversions: 1,
        approved: 1,
        pending: 0,
        declined: 0,
        revenue: 1,
        cost: 2,
        profit: -1,
        roi: -0.5,
        cr: 1 / 3,
        epc: 1 / 3,
        cpa: 2,
        landerClicks: 0,
        landerCtr: null,
        timeToConvert: 3600,
      },
      {
        campaign: null,
        day: null,
        clicks: 0,
        uniqueClicks: 0,
        botClicks: 0,
        conversions: 1,
        approved: 1,
        pending: 0,
        declined: 0,
        revenue: 5,
        cost: 0,
        profit: 5,
        roi: null,
        cr: null,
        epc: null,
        cpa: 0,
        landerClicks: null,
        landerCtr: null,
        timeToConvert: null,
      },
    ]);
    const lines = csv.split('\r\n');
    assert.equal(lines[1], `c1,'-Promo,2024-03-11,3,3,0,1,1,0,0,1,2,-1,-0.5,${1 / 3},${1 / 3},2,0,,3600`);
    assert.equal(lines[2], ',,,0,0,0,1,1,0,0,5,0,5,,,,0,,,');
    assert.equal(lines[3], '');
  });
});
