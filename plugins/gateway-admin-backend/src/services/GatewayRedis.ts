import Redis from 'ioredis';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  GATEWAY_REDIS,
  revocationField,
  type GatewayChangeEvent,
  type GatewayLimits,
  type GatewayRevocation,
} from '@flagstage/plugin-gateway-common';

/** The contract's keys and channel under a deployment prefix. */
export type GatewayRedisKeys = {
  limits: string;
  revocations: string;
  channel: string;
  /** Every replica's report key starts with this. */
  connectionsPrefix: string;
};

/**
 * The Redis names gateway-admin and the gateways share: the prefix is
 * prepended verbatim to every key and the channel (the gateway does the same
 * with GATEWAY_REDIS_KEY_PREFIX).
 */
export function gatewayRedisKeys(prefix: string): GatewayRedisKeys {
  return {
    limits: prefix + GATEWAY_REDIS.limitsKey,
    revocations: prefix + GATEWAY_REDIS.revocationsKey,
    channel: prefix + GATEWAY_REDIS.changesChannel,
    connectionsPrefix: prefix + GATEWAY_REDIS.connectionsKeyPrefix,
  };
}

/** Escapes glob characters so a prefix matches itself in SCAN MATCH. */
export function escapeRedisGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** The JSON a revocation is stored as: fixed field order, so equal means equal. */
export function revocationJson(r: GatewayRevocation): string {
  return JSON.stringify({
    scope: r.scope,
    value: r.value,
    ...(r.reason ? { reason: r.reason } : {}),
    at: r.at,
    ...(r.by ? { by: r.by } : {}),
  });
}

/** `always`: write and announce; `ifChanged`: only when Redis differs (resync). */
export type WriteMode = 'always' | 'ifChanged';

/**
 * The Redis side of gateway-admin: writes limits and revocations (then
 * announces them on the changes channel) and reads the gateways' connection
 * reports. Commands fail fast while Redis is down (no offline queue), so
 * requests never hang on it; the client reconnects in the background and
 * calls `onReady` on every (re)connect so the state is republished at once.
 */
export class GatewayRedis {
  readonly keys: GatewayRedisKeys;
  private readonly client: Redis;
  private down = false;

  constructor(options: {
    url: string;
    keyPrefix: string;
    logger: LoggerService;
    onReady?: () => void;
  }) {
    const { logger } = options;
    this.keys = gatewayRedisKeys(options.keyPrefix);
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 3000,
      retryStrategy: times => Math.min(times * 250, 5000),
    });
    this.client.on('error', (error: Error) => {
      if (!this.down) {
        this.down = true;
        logger.warn(
          `Gateway Redis unreachable; changes are saved but not published until it is back: ${error.message}`,
        );
      }
    });
    this.client.on('ready', () => {
      if (this.down) logger.info('Gateway Redis reachable again');
      this.down = false;
      options.onReady?.();
    });
  }

  /** Connected and ready for commands. */
  get up(): boolean {
    return this.client.status === 'ready';
  }

  private async exec(multi: ReturnType<Redis['multi']>) {
    const results = await multi.exec();
    if (!results) throw new Error('Redis transaction aborted');
    for (const [error] of results) if (error) throw error;
  }

  private event(event: GatewayChangeEvent): string {
    return JSON.stringify(event);
  }

  /** Writes the limits key and announces it. Returns whether it wrote. */
  async writeLimits(limits: GatewayLimits, mode: WriteMode): Promise<boolean> {
    const json = JSON.stringify(limits);
    if (mode === 'ifChanged') {
      const current = await this.client.get(this.keys.limits);
      if (current === json) return false;
    }
    await this.exec(
      this.client
        .multi()
        .set(this.keys.limits, json)
        .publish(this.keys.channel, this.event({ type: 'limits' })),
    );
    return true;
  }

  /**
   * Replaces the revocations hash with exactly `revocations` in one
   * transaction (a gateway never reads a half-written hash) and announces it.
   * Returns whether it wrote.
   */
  async writeRevocations(
    revocations: GatewayRevocation[],
    mode: WriteMode,
  ): Promise<boolean> {
    const fields: Record<string, string> = {};
    for (const r of revocations) {
      fields[revocationField(r.scope, r.value)] = revocationJson(r);
    }
    if (mode === 'ifChanged') {
      const current = await this.client.hgetall(this.keys.revocations);
      const names = Object.keys(fields);
      if (
        names.length === Object.keys(current).length &&
        names.every(name => current[name] === fields[name])
      ) {
        return false;
      }
    }
    const multi = this.client.multi().del(this.keys.revocations);
    if (revocations.length > 0) multi.hset(this.keys.revocations, fields);
    multi.publish(this.keys.channel, this.event({ type: 'revocations' }));
    await this.exec(multi);
    return true;
  }

  /** Every replica's connection report: key and raw JSON (SCAN, then MGET). */
  async readReports(): Promise<Array<{ key: string; raw: string }>> {
    const match = `${escapeRedisGlob(this.keys.connectionsPrefix)}*`;
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.client.scan(
        cursor,
        'MATCH',
        match,
        'COUNT',
        500,
      );
      for (const key of batch) keys.add(key);
      cursor = next;
    } while (cursor !== '0');
    const all = [...keys].sort();
    const out: Array<{ key: string; raw: string }> = [];
    for (let i = 0; i < all.length; i += 100) {
      const chunk = all.slice(i, i + 100);
      const values = await this.client.mget(...chunk);
      chunk.forEach((key, j) => {
        const raw = values[j];
        // A report may expire between SCAN and MGET.
        if (raw !== null) out.push({ key, raw });
      });
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }
}
