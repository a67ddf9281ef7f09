import { Pool } from 'undici';

const IDLE_POOL_MS = 60_000;

/** Keep-alive connection pools to instance targets (`host:port`), closed when idle. */
export class UpstreamPools {
  private readonly pools = new Map<string, { pool: Pool; used: number }>();

  constructor(private readonly timeoutMs: number) {}

  get(target: string): Pool {
    let entry = this.pools.get(target);
    if (!entry) {
      entry = {
        pool: new Pool(`http://${target}`, {
          connections: 256,
          keepAliveTimeout: 4000,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
          connectTimeout: 5000,
        }),
        used: 0,
      };
      this.pools.set(target, entry);
    }
    entry.used = Date.now();
    return entry.pool;
  }

  sweep(now = Date.now()) {
    for (const [target, entry] of this.pools) {
      if (now - entry.used > IDLE_POOL_MS) {
        this.pools.delete(target);
        entry.pool.close().catch(() => {});
      }
    }
  }

  async close() {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map(e => e.pool.close().catch(() => {})));
  }
}
