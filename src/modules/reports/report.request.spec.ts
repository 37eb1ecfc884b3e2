import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainException } from '../../common/domain.exception';
import { parseReportRequest } from './report.request';

function problems(query: Record<string, unknown>): Record<string, string[]> {
  try {
    parseReportRequest(query);
  } catch (e) {
    assert.ok(e instanceof DomainException);
    assert.equal(e.code, 'VALIDATION_FAILED');
    return e.fields ?? {};
  }
  assert.fail('expected a validation error');
}

describe('parseReportRequest', () => {
  it('reads groupBy levels, filters, the clock and the format', () => {
    const r = parseReportRequest({
      groupBy: 'campaign,offer,day',
      campaign: 'c1',
      country: ['US', 'DE'],
      source: 'blog',
      conversionTime: 'visit',
      format: 'csv',
    });
    assert.deepEqual(
      r.groupBy.map((d) => d.name),
      ['campaign', 'offer', 'day'],
    );
    assert.deepEqual(
      r.filters.map((f) => [f.dimension.name, f.values]),
      [
        ['campaign', ['c1']],
        ['country', ['US', 'DE']],
        ['source', ['blog']],
      ],
    );
    assert.equal(r.filters[2].dimension.kind, 'text', 'an unknown lower-case name is a remapped slot');
    assert.equal(r.conversionTime, 'visit');
    assert.equal(r.format, 'csv');
    assert.equal(r.tz, 'UTC');
    assert.equal(r.from, null);
  });

  it('picks CSV from the Accept header unless format says otherwise', () => {
    assert.equal(parseReportRequest({}, 'text/csv').format, 'csv');
    assert.equal(parseReportRequest({ format: 'json' }, 'text/csv').format, 'json');
    assert.equal(parseReportRequest({}, 'application/json').format, 'json');
  });

  it('reads times with an offset as instants and times without one as wall-clock time in tz', () => {
    const utc = parseReportRequest({ from: '2024-03-10T18:00:00Z', to: '2024-03-11T00:00:00+05:45' });
    assert.equal(utc.from?.toISOString(), '2024-03-10T18:00:00.000Z');
    assert.equal(utc.to?.toISOString(), '2024-03-10T18:15:00.000Z');
    const ktm = parseReportRequest({ tz: 'Asia/Kathmandu', from: '2024-03-11', to: '2024-03-11T12:30' });
    assert.equal(ktm.from?.toISOString(), '2024-03-10T18:15:00.000Z');
    assert.equal(ktm.to?.toISOString(), '2024-03-11T06:45:00.000Z');
    assert.equal(parseReportRequest({ from: '2024-03-11T00:00:00 05:45' }).from?.toISOString(), '2024-03-10T18:15:00.000Z', 'an unencoded plus');
    const ny = parseReportRequest({ tz: 'America/New_York', from: '2024-07-01' });
    assert.equal(ny.from?.toISOString(), '2024-07-01T04:00:00.000Z', 'summer time');
  });

  it('turns time filter values into local bucket starts and checks them', () => {
    const r = parseReportRequest({ day: '2024-03-11', week: '2024-03-11', month: '2024-03', hour: '2024-03-11T05:00' });
    assert.deepEqual(
      r.filters.map((f) => f.values[0]),
      ['2024-03-11 00:00:00', '2024-03-11 00:00:00', '2024-03-01 00:00:00', '2024-03-11 05:00:00'],
    );
    const p = problems({ day: '2024-02-30', week: '2024-03-12', month: '2024-3', hour: '2024-03-11T05:30', mobile: 'yes' });
    assert.deepEqual(Object.keys(p).sort(), ['day', 'hour', 'mobile', 'month', 'week']);
  });

  it('names every bad parameter at once', () => {
    const p = problems({
      groupBy: 'campaign,Planet,campaign',
      tz: 'Mars/Olympus',
      from: 'yesterday',
      conversionTime: 'click',
      format: 'xml',
      'utm-source': 'x',
    });
    assert.match(p.groupBy.join(' '), /Planet/);
    assert.match(p.groupBy.join(' '), /twice/);
    assert.ok(p.tz && p.from && p.conversionTime && p.format && p['utm-source']);
  });

  it('refuses offsets and two zones as tz, and a window that ends before it starts', () => {
    assert.ok(problems({ tz: '+05:45' }).tz);
    assert.ok(problems({ tz: ['UTC', 'Asia/Kolkata'] }).tz);
    assert.ok(problems({ from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }).to);
    assert.ok(problems({ groupBy: 'a,b,c,d,e,f,g' }).groupBy, 'at most six levels');
  });
});
