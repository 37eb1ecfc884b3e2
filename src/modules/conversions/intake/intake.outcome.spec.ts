import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { answerOf, logResultOf, recorded, refused, rejected, replayAnswerOf } from './intake.outcome';

describe('intake outcomes', () => {
  it('answers recorded calls 200 with the conversion id', () => {
    assert.deepEqual(answerOf(recorded('accepted', 'abc')), { statusCode: 200, body: { status: 'accepted', conversionId: 'abc' } });
    assert.deepEqual(logResultOf(recorded('duplicate', 'abc')), { outcome: 'duplicate', code: null, reason: null, conversionId: 'abc' });
  });
  it('answers rule rejections 200 with the code', () => {
    const o = rejected('INVALID_AMOUNT', 'payout is bad');
    assert.deepEqual(answerOf(o), { statusCode: 200, body: { status: 'rejected', code: 'INVALID_AMOUNT', message: 'payout is bad' } });
    assert.deepEqual(logResultOf(o), { outcome: 'rejected', code: 'INVALID_AMOUNT', reason: 'payout is bad', conversionId: null });
  });
  it('answers refusals with their HTTP status and the SPEC error shape', () => {
    const cases = { UNPARSABLE_BODY: 400, INVALID_TOKEN: 401, IP_NOT_ALLOWED: 403, UNKNOWN_NETWORK: 404, PAYLOAD_TOO_LARGE: 413, RATE_LIMITED: 429 } as const;
    for (const [code, status] of Object.entries(cases)) {
      const a = answerOf(refused(code as keyof typeof cases, 'why'));
      assert.equal(a.statusCode, status);
      assert.equal(a.body.code, code);
      assert.equal(a.body.statusCode, status);
      assert.equal(typeof a.body.error, 'string');
      assert.equal(logResultOf(refused(code as keyof typeof cases, 'why')).outcome, 'rejected');
    }
  });
  it('a replay answers every outcome as a body', () => {
    assert.deepEqual(replayAnswerOf(refused('UNKNOWN_NETWORK', 'x')), { status: 'rejected', code: 'UNKNOWN_NETWORK', message: 'x' });
  });
});
