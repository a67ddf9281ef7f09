import type { CacheService } from '@backstage/backend-plugin-api';
import { sha256Hex } from './flags';

/** Failed logins allowed per username per window before logins are refused. */
export const MAX_FAILED_LOGINS = 10;
/** Length of the failed-login window. */
export const LOGIN_WINDOW_MS = 5 * 60 * 1000;

/** 429 for a username with too many failed logins. */
export class TooManyLoginsError extends Error {
  name = 'TooManyLoginsError';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many failed logins for this account; try again later');
  }
}

/**
 * Slows password guessing: after MAX_FAILED_LOGINS failures for one username
 * in a contest within the window, logins for it are refused (before any
 * scrypt work) until the window ends. Counts live in the cache service, so
 * replicas share them; the read-then-write count is approximate under races,
 * which is acceptable for a throttle (it can only let a few extra through).
 */
export class LoginThrottle {
  constructor(private readonly cache: CacheService) {}

  private key(contestId: string, username: string, now: Date) {
    const window = Math.floor(now.getTime() / LOGIN_WINDOW_MS);
    const who = sha256Hex(
      `${contestId}|${username.toLocaleLowerCase('en-US')}`,
    );
    return `login-failures:${who}:${window}`;
  }

  async assertAllowed(contestId: string, username: string, now = new Date()) {
    const count = Number(
      (await this.cache.get(this.key(contestId, username, now))) ?? 0,
    );
    if (count >= MAX_FAILED_LOGINS) {
      throw new TooManyLoginsError(
        Math.ceil((LOGIN_WINDOW_MS - (now.getTime() % LOGIN_WINDOW_MS)) / 1000),
      );
    }
  }

  async recordFailure(contestId: string, username: string, now = new Date()) {
    const key = this.key(contestId, username, now);
    const count = Number((await this.cache.get(key)) ?? 0);
    await this.cache.set(key, count + 1, { ttl: LOGIN_WINDOW_MS });
  }
}
