import type { Knex } from 'knex';

/** Counters over a window that starts at a key's first hit, shared by every replica through the database. */
export interface ThrottleStore {
  /**
   * Counts one hit of `key` and returns the count in its window and when the
   * window started. A window starts at the first hit and lasts `windowMs`;
   * a hit after that starts a new one (so no burst at a clock boundary). One
   * atomic upsert (INSERT … ON CONFLICT DO UPDATE … RETURNING): concurrent
   * callers each see a distinct count.
   */
  countUp(
    key: string,
    now: number,
    windowMs: number,
  ): Promise<{ count: number; windowStart: number }>;
  /** Takes one back (a successful login does not count against its keys). */
  countDown(key: string): Promise<void>;
  /** Deletes windows that started before `before`. */
  prune(before: number): Promise<void>;
}

export class DatabaseThrottleStore implements ThrottleStore {
  constructor(private readonly db: Knex) {}

  async countUp(key: string, now: number, windowMs: number) {
    const start = 'throttle_windows.window_start';
    const expired = [start, now - windowMs];
    const [row] = await this.db('throttle_windows')
      .insert({ key, window_start: now, count: 1 })
      .onConflict('key')
      .merge({
        count: this.db.raw('CASE WHEN ?? <= ? THEN 1 ELSE ?? + 1 END', [
          ...expired,
          'throttle_windows.count',
        ]),
        window_start: this.db.raw('CASE WHEN ?? <= ? THEN ? ELSE ?? END', [
          ...expired,
          now,
          start,
        ]),
      })
      .returning(['count', 'window_start']);
    return { count: Number(row.count), windowStart: Number(row.window_start) };
  }

  async countDown(key: string) {
    await this.db('throttle_windows')
      .where({ key })
      .andWhere('count', '>', 0)
      .decrement('count', 1);
  }

  async prune(before: number) {
    await this.db('throttle_windows').where('window_start', '<', before).del();
  }
}
