/** Where link tokens already traded are remembered across replicas (Redis). */
export type SharedLinkLedger = {
  /** True the first time `tokenId` is claimed (until `expMs`); throws when unreachable. */
  claimOnce(tokenId: string, expMs: number): Promise<boolean>;
};

const MEMORY_LIMIT = 100_000;

/**
 * The single-use rule of access links: a link token is traded for the
 * cookie once. Claimed token ids are kept until the token expires, in Redis
 * when the gateway has it (every replica sees the claim), else — and while
 * Redis is unreachable — in memory, bounded: past the bound the entries
 * closest to expiry go first.
 */
export class LinkTokenLedger {
  private readonly seen = new Map<string, number>();
  private shared?: SharedLinkLedger;

  useShared(shared: SharedLinkLedger) {
    this.shared = shared;
  }

  async claim(tokenId: string, expSeconds: number, now = Date.now()) {
    const expMs = expSeconds * 1000;
    if (this.shared) {
      try {
        return await this.shared.claimOnce(tokenId, expMs);
      } catch {
        // Redis unreachable: this replica's memory still holds the rule.
      }
    }
    return this.claimInMemory(tokenId, expMs, now);
  }

  private claimInMemory(tokenId: string, expMs: number, now: number) {
    const until = this.seen.get(tokenId);
    if (until !== undefined && until > now) return false;
    if (this.seen.size >= MEMORY_LIMIT) this.evict(now);
    this.seen.set(tokenId, expMs);
    return true;
  }

  private evict(now: number) {
    this.sweep(now);
    if (this.seen.size < MEMORY_LIMIT) return;
    const byExpiry = [...this.seen].sort((a, b) => a[1] - b[1]);
    for (const [id] of byExpiry.slice(0, MEMORY_LIMIT / 10))
      this.seen.delete(id);
  }

  sweep(now = Date.now()) {
    for (const [id, until] of this.seen) if (until <= now) this.seen.delete(id);
  }
}
