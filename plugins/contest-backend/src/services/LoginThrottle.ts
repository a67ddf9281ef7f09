import type { ThrottleStore } from '../database/ThrottleStore';
import { sha256Hex } from './flags';

/** Login attempts allowed per (account, client address) per window. */
export const MAX_FAILED_LOGINS = 10;
/** Length of the login window. */
export const LOGIN_WINDOW_MS = 5 * 60 * 1000;
/** Length of the registration window. */
export const REGISTRATION_WINDOW_MS = 60 * 60 * 1000;

/** How many attempts one client address gets (config `contest.public.*`). */
export type ThrottleLimits = {
  /** Failed logins per address per window, over all accounts. Default 50. */
  loginsPerAddress: number;
  /** Registrations per address per hour. Default 30. */
  registrationsPerAddress: number;
};

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  loginsPerAddress: 50,
  registrationsPerAddress: 30,
};

/** 429 for too many attempts, with the seconds until the window ends. */
export class TooManyLoginsError extends Error {
  name = 'TooManyLoginsError';
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many failed logins; try again later',
  ) {
    super(message);
  }
}

/** A login in progress: counted already; `succeeded` takes the count back. */
export type LoginAttempt = { succeeded(): Promise<void> };

type Counter = { key: string; limit: number };

/**
 * Slows password guessing and account spraying. Every login attempt is
 * counted atomically in the database *before* the password is checked (the
 * window of a key starts at its first attempt and lasts LOGIN_WINDOW_MS), under
 * two keys: (contest, account, client address), limit MAX_FAILED_LOGINS, and
 * the client address alone over all accounts and contests. Over either, the
 * answer is 429 without any scrypt work. A successful login takes its counts
 * back, so the keys count failures (and attempts in flight). A stranger's
 * failures from another address never lock the owner out. Registration is
 * counted per address (each costs an scrypt hash).
 */
export class LoginThrottle {
  private lastPrune = 0;

  constructor(
    private readonly store: ThrottleStore,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
  ) {}

  /** Counts under each key in order; throws at the first over its limit. */
  private async count(
    counters: Counter[],
    now: Date,
    windowMs: number,
    message: string,
  ) {
    const at = now.getTime();
    if (at - this.lastPrune > LOGIN_WINDOW_MS) {
      this.lastPrune = at;
      await this.store.prune(at - REGISTRATION_WINDOW_MS);
    }
    for (const { key, limit } of counters) {
      const { count, windowStart } = await this.store.countUp(
        key,
        at,
        windowMs,
      );
      if (count > limit)
        throw new TooManyLoginsError(
          Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)),
          message,
        );
    }
  }

  /** Counts a login attempt before the password check; 429 over a limit. */
  async begin(
    contestId: string,
    username: string,
    address: string,
    now = new Date(),
  ): Promise<LoginAttempt> {
    const account = `${contestId}|${username.toLocaleLowerCase('en-US')}`;
    const counters = [
      {
        key: sha256Hex(`login-addr|${address}`),
        limit: this.limits.loginsPerAddress,
      },
      {
        key: sha256Hex(`login|${account}|${address}`),
        limit: MAX_FAILED_LOGINS,
      },
    ];
    await this.count(
      counters,
      now,
      LOGIN_WINDOW_MS,
      'Too many failed logins; try again later',
    );
    return {
      succeeded: async () => {
        for (const { key } of counters) await this.store.countDown(key);
      },
    };
  }

  /** Counts a registration from `address`; 429 over the hourly limit. */
  async registration(address: string, now = new Date()) {
    await this.count(
      [
        {
          key: sha256Hex(`register|${address}`),
          limit: this.limits.registrationsPerAddress,
        },
      ],
      now,
      REGISTRATION_WINDOW_MS,
      'Too many registrations from your address; try again later',
    );
  }
}
