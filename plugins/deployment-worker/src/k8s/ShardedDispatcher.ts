/**
 * Runs tasks keyed by instance id on a fixed number of serial lanes: tasks
 * of one instance run in the order they were dispatched, never two at once,
 * while different instances proceed in parallel. A failing task is reported
 * and does not stop its lane.
 */
export class ShardedDispatcher {
  private readonly lanes: Promise<void>[];
  private pending = 0;

  constructor(
    shards: number,
    private readonly onError: (key: string, error: unknown) => void,
  ) {
    this.lanes = Array.from({ length: Math.max(1, shards) }, () =>
      Promise.resolve(),
    );
  }

  /** Which lane a key runs on (FNV-1a of the key). */
  laneOf(key: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % this.lanes.length;
  }

  dispatch(key: string, task: () => Promise<void>): void {
    const lane = this.laneOf(key);
    this.pending += 1;
    this.lanes[lane] = this.lanes[lane]
      .then(task)
      .catch(e => this.onError(key, e))
      .finally(() => {
        this.pending -= 1;
      });
  }

  /** Tasks dispatched and not finished. */
  get backlog(): number {
    return this.pending;
  }

  /** Resolves when every task dispatched so far has finished. */
  async idle(): Promise<void> {
    while (this.pending > 0) await Promise.all(this.lanes);
  }
}
