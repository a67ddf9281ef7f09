/**
 * In-process token buckets keyed by a string (a token id or a client IP):
 * `rate` tokens a second refill up to `burst`. Lazy refill on each take, and
 * a sweep drops full, idle buckets so memory follows active keys only.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private rate: number,
    private burst: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  configure(rate: number, burst: number) {
    this.rate = rate;
    this.burst = burst;
  }

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const b = this.refilled(key);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / this.rate;
  }

  /** The seconds until `key` has a token (0: now), without taking one. */
  wait(key: string): number {
    const b = this.buckets.has(key) ? this.refilled(key) : undefined;
    return !b || b.tokens >= 1 ? 0 : (1 - b.tokens) / this.rate;
  }

  private refilled(key: string) {
    const now = this.clock();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(
        this.burst,
        b.tokens + ((now - b.at) / 1000) * this.rate,
      );
      b.at = now;
    }
    return b;
  }

  /** Drops buckets that have refilled completely. */
  sweep() {
    const now = this.clock();
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.rate >= this.burst)
        this.buckets.delete(key);
    }
  }

  get size() {
    return this.buckets.size;
  }
}
