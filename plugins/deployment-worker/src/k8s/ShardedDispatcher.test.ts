import { ShardedDispatcher } from './ShardedDispatcher';

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

describe('ShardedDispatcher', () => {
  it("runs one key's tasks in order, never two at once, and other keys in parallel", async () => {
    const d = new ShardedDispatcher(4, () => {});
    const log: string[] = [];
    const a = { running: 0, max: 0 };
    const task = (i: number) => async () => {
      a.running += 1;
      a.max = Math.max(a.max, a.running);
      await sleep(5 - i); // later tasks are faster: order must still hold
      log.push(`a${i}`);
      a.running -= 1;
    };
    for (let i = 0; i < 5; i++) d.dispatch('a', task(i));
    const t0 = Date.now();
    const others = ['b', 'c', 'd', 'e', 'f', 'g'].filter(
      k => d.laneOf(k) !== d.laneOf('a'),
    );
    for (const k of others) d.dispatch(k, () => sleep(30));
    expect(d.backlog).toBe(5 + others.length);
    await d.idle();
    expect(log).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(a.max).toBe(1);
    // The slow tasks of other lanes overlapped instead of queueing behind each other.
    expect(Date.now() - t0).toBeLessThan(30 * others.length);
    expect(d.backlog).toBe(0);
  });

  it('reports a failing task and keeps its lane going', async () => {
    const errors: string[] = [];
    const d = new ShardedDispatcher(1, (key, e) =>
      errors.push(`${key}: ${(e as Error).message}`),
    );
    const done: number[] = [];
    d.dispatch('x', async () => {
      throw new Error('boom');
    });
    d.dispatch('x', async () => {
      done.push(1);
    });
    await d.idle();
    expect(errors).toEqual(['x: boom']);
    expect(done).toEqual([1]);
  });
});
