import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryFailedError } from 'typeorm';
import { bracketPath, isDatabaseDown, toErrorBody } from './http-exception.filter';

const queryError = (driver: object) => new QueryFailedError('SELECT 1', [], Object.assign(new Error((driver as { message?: string }).message ?? 'x'), driver));

describe('isDatabaseDown', () => {
  it('is true for a connection dropped mid-query (no SQLSTATE, pg message only): a 503, not a 500', () => {
    const dropped = queryError({ message: 'Connection terminated unexpectedly' });
    assert.equal(isDatabaseDown(dropped), true);
    assert.equal(toErrorBody(dropped).statusCode, 503);
    assert.equal(toErrorBody(dropped).code, 'DATABASE_UNAVAILABLE');
  });
  it('is true for connection SQLSTATEs and socket errors', () => {
    assert.equal(isDatabaseDown(queryError({ code: '08006', message: 'connection failure' })), true);
    assert.equal(isDatabaseDown(queryError({ code: '57P01', message: 'terminating connection due to administrator command' })), true);
    assert.equal(isDatabaseDown(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' })), true);
  });
  it('is false for a query the database refused', () => {
    assert.equal(isDatabaseDown(queryError({ code: '23505', message: 'duplicate key value violates unique constraint' })), false);
    assert.equal(isDatabaseDown(queryError({ code: '22P02', message: 'Connection terminated in a string literal' })), false);
    assert.equal(toErrorBody(new Error('boom')).statusCode, 500);
  });
});

describe('bracketPath', () => {
  it('writes array indexes as the JSON body has them', () => {
    assert.equal(bracketPath('destinations.0.weight'), 'destinations[0].weight');
    assert.equal(bracketPath('rules[0].when.contry'), 'rules[0].when.contry');
    assert.equal(bracketPath('receivers.10'), 'receivers[10]');
    assert.equal(bracketPath('name'), 'name');
  });
});
