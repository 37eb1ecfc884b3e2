import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintId } from '../../../common/ids';
import { ClickContextLoader } from './click-context.loader';
import type { ClickContext, ClickContextRepository } from './click-context.repository';

/** A stand-in repository: records each query's ids and answers when released. */
function fakeClicks(known: readonly string[]) {
  const queries: string[][] = [];
  const gates: { resolve(): void; reject(err: Error): void }[] = [];
  const repo = {
    async findClicks(ids: readonly string[]): Promise<Map<string, ClickContext>> {
      queries.push([...ids]);
      await new Promise<void>((resolve, reject) => gates.push({ resolve, reject }));
      return new Map(ids.filter((id) => known.includes(id)).map((id) => [id, { visitId: id } as ClickContext]));
    },
  };
  const release = () => gates.splice(0).forEach((g) => g.resolve());
  const fail = (err: Error) => gates.splice(0).forEach((g) => g.reject(err));
  return { repo: repo as unknown as ClickContextRepository, queries, release, fail };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ClickContextLoader', () => {
  it('looks up the ids of one turn in one query, and gathers the next ones while it runs', async () => {
    const [a, b, c, d, e] = Array.from({ length: 5 }, () => mintId());
    const f = fakeClicks([a, c, d]);
    const loader = new ClickContextLoader(f.repo);
    const first = [loader.find(a), loader.find(b), loader.find(a)];
    await tick();
    assert.deepEqual(f.queries, [[a, b]]);
    const next = [loader.find(c), loader.find(d)];
    await tick();
    const last = loader.find(e);
    await tick();
    // One query in flight: c, d and e wait for it rather than each taking a query of its own.
    assert.deepEqual(f.queries, [[a, b]]);
    f.release();
    assert.deepEqual(
      (await Promise.all(first)).map((x) => x?.visitId ?? null),
      [a, null, a],
    );
    await tick();
    assert.deepEqual(f.queries, [
      [a, b],
      [c, d, e],
    ]);
    f.release();
    assert.deepEqual(
      (await Promise.all([...next, last])).map((x) => x?.visitId ?? null),
      [c, d, null],
    );
  });

  it('fails the lookups of a failed query, and the next lookup queries again', async () => {
    const [a, b] = [mintId(), mintId()];
    const f = fakeClicks([a, b]);
    const loader = new ClickContextLoader(f.repo);
    const failed = loader.find(a).catch((err: Error) => err.message);
    await tick();
    f.fail(new Error('database down'));
    assert.equal(await failed, 'database down');
    const again = loader.find(b);
    await tick();
    assert.deepEqual(f.queries, [[a], [b]]);
    f.release();
    assert.equal((await again)?.visitId, b);
  });

  it('never queries for a value the tracker cannot have minted', async () => {
    const f = fakeClicks([]);
    const loader = new ClickContextLoader(f.repo);
    assert.equal(await loader.find('not-an-id'), null);
    await tick();
    assert.deepEqual(f.queries, []);
  });
});
