import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpuByPid, cpuSince } from '../../bench/lib/machine-load';

const GONE = 2 ** 30; // above Linux's pid_max: never a process

/** Spins until this process has used `ms` of CPU (not of wall time: the machine may be busy). */
function burn(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + 1);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) break;
  }
  assert.ok(x > 0);
}

describe('cpuSince (the database backends a bench measures)', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it('counts a process from its first reading, one found only at the end from zero, and leaves out one that exited', () => {
    const before = cpuByPid([process.pid, GONE]);
    assert.deepEqual([...before.keys()], [process.pid]);
    burn(150);
    const since = cpuSince(before, [process.pid, GONE])!;
    const total = cpuSince(new Map(), [process.pid])!;
    // /proc counts in ticks of 10 ms.
    assert.ok(since >= 0.12 && since < total, `${since} s since the first reading, ${total} s in all`);
    assert.equal(cpuSince(before, [GONE]), null);
  });
});
