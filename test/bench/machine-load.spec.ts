import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpuByPid, cpuSince } from '../../bench/lib/machine-load';

const GONE = 2 ** 30; // above Linux's pid_max: never a process

function burn(ms: number): void {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  assert.ok(x > 0);
}

describe('cpuSince (the database backends a bench measures)', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it('counts a process from its first reading, one found only at the end from zero, and leaves out one that exited', () => {
    const before = cpuByPid([process.pid, GONE]);
    assert.deepEqual([...before.keys()], [process.pid]);
    burn(120);
    const since = cpuSince(before, [process.pid, GONE])!;
    const total = cpuSince(new Map(), [process.pid])!;
    assert.ok(since >= 0.05 && since < total, `${since} s since the first reading, ${total} s in all`);
    assert.equal(cpuSince(before, [GONE]), null);
  });
});
