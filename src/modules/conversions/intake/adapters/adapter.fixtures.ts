import assert from 'node:assert/strict';
import type { AdapterOutcome, NormalizedCall, RawCall } from './adapter.types';

/**
 * Test helpers: a request as the HTTP layer hands it over. The query is decoded once the way
 * Fastify's querystring does it (`+` is a space, a malformed `%` stays as it is).
 */
export function get(url: string, cookies: Record<string, string> = {}): RawCall {
  return { method: 'GET', url, query: queryOf(url), body: null, contentType: null, cookies };
}

export function post(url: string, body: string | object, contentType: string | null = 'application/json'): RawCall {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { method: 'POST', url, query: queryOf(url), body: text, contentType, cookies: {} };
}

function queryOf(url: string): Record<string, string | string[]> {
  const q = url.indexOf('?');
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(q < 0 ? '' : url.slice(q + 1))) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/** A NormalizedCall with everything absent except what is given. */
export function normalized(fields: Partial<NormalizedCall>): NormalizedCall {
  return {
    clickId: null,
    transactionId: null,
    amount: null,
    saleAmount: null,
    currency: null,
    status: null,
    conversionType: null,
    sequenceNumber: null,
    token: null,
    extra: {},
    notes: [],
    ...fields,
  };
}

export function accepted(outcome: AdapterOutcome): NormalizedCall {
  if (!outcome.ok) assert.fail(`expected an accepted call, got ${outcome.code}: ${outcome.reason}`);
  return outcome.call;
}

export function refused(outcome: AdapterOutcome, code: string): { reason: string; partial: Partial<NormalizedCall> } {
  if (outcome.ok) assert.fail(`expected ${code}, got an accepted call ${JSON.stringify(outcome.call)}`);
  assert.equal(outcome.code, code, outcome.reason);
  return { reason: outcome.reason, partial: outcome.partial ?? {} };
}
