import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import type { AppConfig } from '../../config/app-config';
import { DomainException } from '../../common/domain.exception';
import { mintId } from '../../common/ids';
import type { VisitRecord } from './visit.record';
import type { VisitRepository, WrittenVisits } from './visit.repository';
import { VisitWriter } from './visit.writer';

/** A repository whose INSERTs the test finishes by hand. */
class FakeVisits {
  calls: { records: VisitRecord[]; finish(ids?: string[]): void; fail(e: unknown): void }[] = [];
  insertVisits(records: readonly VisitRecord[]): Promise<WrittenVisits> {
    const copy = records.map((r) => ({ ...r, remaped: { ...r.remaped } }));
    return new Promise((resolve, reject) =>
      this.calls.push({ records: copy, finish: (ids) => resolve({ ids: ids ?? copy.map((r) => r.id), attributed: 0 }), fail: reject }),
    );
  }
}

function setup(limits: Partial<AppConfig> = {}) {
  const repo = new FakeVisits();
  const config = { clickBatchMaxRows: 1000, clickQueueMaxRows: 1000, ...limits } as AppConfig;
  return { repo, writer: new VisitWriter(repo as unknown as VisitRepository, config) };
}

const visit = (n: number) => ({ id: '', created_at: '', remaped: { event_id: '', n: String(n) } }) as unknown as VisitRecord;

describe('visit writer (group commit)', () => {
  it('writes a lone visit at once and answers its id after the commit', async () => {
    const { repo, writer } = setup();
    let answered: string | null = null;
    const p = writer.write(visit(1)).then((id) => (answered = id));
    await tick();
    assert.equal(repo.calls.length, 1);
    const [rec] = repo.calls[0].records;
    assert.match(rec.id, /^[0-9a-f]{24}$/);
    assert.equal(rec.remaped.event_id, rec.id);
    assert.equal(Date.parse(rec.created_at), parseInt(rec.id.slice(0, 12), 16));
    await tick();
    assert.equal(answered, null, 'not answered before the commit');
    repo.calls[0].finish();
    assert.equal(await p, rec.id);
  });

  it('gathers the next batch while one is in flight, within the batch size', async () => {
    const { repo, writer } = setup({ clickBatchMaxRows: 3 });
    const all = [writer.write(visit(0))];
    await tick();
    assert.equal(repo.calls.length, 1);
    for (let i = 1; i <= 8; i++) all.push(writer.write(visit(i)));
    await tick();
    assert.equal(repo.calls.length, 1, 'no second INSERT while the first is in flight');
    const sizes: number[] = [];
    for (let n = 0; n < 4; n++) {
      while (repo.calls.length <= n) await tick();
      sizes.push(repo.calls[n].records.length);
      repo.calls[n].finish();
    }
    assert.deepEqual(sizes, [1, 3, 3, 2]);
    const ids = await Promise.all(all);
    assert.equal(new Set(ids).size, 9);
    await writer.drain();
    assert.equal(writer.backlog, 0);
  });

  it('refuses visits beyond the queue bound with OVERLOADED', async () => {
    const { repo, writer } = setup({ clickQueueMaxRows: 2 });
    const a = writer.write(visit(1));
    const b = writer.write(visit(2));
    await assert.rejects(writer.write(visit(3)), (e: DomainException) => e.code === 'OVERLOADED');
    await tick();
    repo.calls[0].finish();
    await Promise.all([a, b]);
    await writer.drain();
    assert.equal(writer.backlog, 0);
    const later = writer.write(visit(4));
    await tick();
    repo.calls[1].finish();
    assert.match(await later, /^[0-9a-f]{24}$/, 'room again once the backlog is written');
  });

  it('mints again the ids that already existed and writes them in the next batch', async () => {
    const { repo, writer } = setup();
    const taken = mintId();
    writer.mint = () => ((writer.mint = mintId), taken);
    const a = writer.write(visit(1));
    const b = writer.write(visit(2));
    await tick();
    const first = repo.calls[0].records;
    assert.equal(first[0].id, taken);
    repo.calls[0].finish([first[1].id]);
    while (repo.calls.length < 2) await tick();
    const [again] = repo.calls[1].records;
    assert.notEqual(again.id, taken);
    assert.equal(again.remaped.event_id, again.id);
    assert.equal(again.remaped.n, '1');
    repo.calls[1].finish();
    assert.equal(await a, again.id);
    assert.equal(await b, first[1].id);
  });

  it('answers DATABASE_UNAVAILABLE to the whole batch when the database is down', async () => {
    const { repo, writer } = setup();
    const all = [1, 2, 3].map((n) => writer.write(visit(n)));
    await tick();
    repo.calls[0].fail(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    for (const p of all) await assert.rejects(p, (e: DomainException) => e.code === 'DATABASE_UNAVAILABLE');
  });

  it('writes the others when the database refuses one visit of a batch', async () => {
    const { repo, writer } = setup();
    const all = [1, 2, 3].map((n) =>
      writer.write(visit(n)).then(
        () => 'ok',
        () => 'refused',
      ),
    );
    await tick();
    repo.calls[0].fail(new Error('invalid input syntax'));
    for (let n = 1; n <= 3; n++) {
      while (repo.calls.length <= n) await tick();
      const call = repo.calls[n];
      assert.equal(call.records.length, 1);
      if (call.records[0].remaped.n === '2') call.fail(new Error('invalid input syntax'));
      else call.finish();
    }
    assert.deepEqual(await Promise.all(all), ['ok', 'refused', 'ok']);
  });

  it('drains: resolves once everything handed in is written', async () => {
    const { repo, writer } = setup();
    await writer.drain();
    const p = writer.write(visit(1));
    let drained = false;
    const d = writer.drain().then(() => (drained = true));
    await tick();
    assert.equal(drained, false);
    repo.calls[0].finish();
    await d;
    await p;
    assert.equal(writer.backlog, 0);
  });
});
