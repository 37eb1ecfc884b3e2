import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ID_PATTERN, idFloor, idTime, mintId } from './ids';

describe('click and conversion ids', () => {
  it('are 12 hex digits of milliseconds then 12 random hex digits', () => {
    const before = Date.now();
    const id = mintId();
    assert.match(id, ID_PATTERN);
    const ms = parseInt(id.slice(0, 12), 16);
    assert.ok(ms >= before && ms <= Date.now());
    assert.equal(idTime(id).getTime(), ms);
    assert.equal(idFloor(new Date(Date.parse('2019-05-25T10:20:14.328Z'))), '016aee815478000000000000');
    assert.equal(idTime('016aee815478' + 'abcdefabcdef').toISOString(), '2019-05-25T10:20:14.328Z');
  });

  it('never go back in time within a process, even when the clock steps back', () => {
    const now = Date.now() + 60_000;
    const a = mintId(now);
    const b = mintId(now - 30_000);
    const c = mintId(now - 1);
    assert.equal(b.slice(0, 12), a.slice(0, 12));
    assert.equal(c.slice(0, 12), a.slice(0, 12));
    const d = mintId(now + 1);
    assert.ok(d.slice(0, 12) > a.slice(0, 12));
    assert.ok(idTime(b).getTime() === now);
  });

  it('do not repeat over many mints, and sort by time to the millisecond', () => {
    const ids: string[] = [];
    for (let i = 0; i < 200_000; i++) ids.push(mintId());
    assert.equal(new Set(ids).size, ids.length);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i].slice(0, 12) >= ids[i - 1].slice(0, 12), 'time part is monotonic');
    // The random part differs even within one millisecond.
    const sameMs = ids.filter((id) => id.slice(0, 12) === ids[0].slice(0, 12));
    assert.equal(new Set(sameMs.map((id) => id.slice(12))).size, sameMs.length);
  });
});
