import Redis from 'ioredis';
import {
  GATEWAY_REDIS,
  parseGatewayLimits,
  type GatewayChangeEvent,
  type GatewayConnectionsReport,
  type GatewayRevocation,
} from '@flagstage/plugin-gateway-common';
import type { AccessControl } from './accessControl';
import type { AccessLog } from './accessLog';
import type { GatewayMetrics } from './metrics';
import type { LiveConnections } from './liveConnections';

const RESYNC_MS = 30_000;

/**
 * Keeps this replica's policy in step with Redis: loads limits and
 * revocations at start, reloads on each change event and every 30 s, and
 * reports live connections. While Redis is unreachable the last known
 * policy stays in force (see the failure mode for revocations).
 */
export class RedisSync {
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private timers: NodeJS.Timeout[] = [];
  private readonly keys: {
    limits: string;
    revocations: string;
    stopped: string;
    usedLink: string;
    channel: string;
    report: string;
  };

  constructor(
    url: string,
    prefix: string,
    private readonly replica: string,
    private readonly access: AccessControl,
    private readonly live: LiveConnections,
    private readonly log: AccessLog,
    private readonly metrics: GatewayMetrics,
    private readonly onLimits: () => void,
  ) {
    const options = {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
    };
    this.client = new Redis(url, options);
    this.subscriber = new Redis(url, {
      ...options,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    this.keys = {
      limits: prefix + GATEWAY_REDIS.limitsKey,
      revocations: prefix + GATEWAY_REDIS.revocationsKey,
      stopped: prefix + GATEWAY_REDIS.stoppedInstancesKey,
      usedLink: prefix + GATEWAY_REDIS.usedLinkKeyPrefix,
      channel: prefix + GATEWAY_REDIS.changesChannel,
      report: `${prefix}${GATEWAY_REDIS.connectionsKeyPrefix}${replica}`,
    };
    for (const c of [this.client, this.subscriber])
      c.on('error', () => this.metrics.redisUp.set(0));
  }

  async start() {
    try {
      await this.client.connect();
      await this.reload();
    } catch (e) {
      this.metrics.redisUp.set(0);
      this.access.revocationsKnown = false;
      this.log.event(
        'warn',
        'Redis unreachable at start; using configured limits',
        { error: String(e) },
      );
    }
    this.subscriber.on('message', (_channel: string, message: string) => {
      let event: GatewayChangeEvent | undefined;
      try {
        event = JSON.parse(message);
      } catch {
        return;
      }
      if (event?.type === 'limits') this.reloadLimits().catch(() => {});
      if (event?.type === 'revocations')
        this.reloadRevocations().catch(() => {});
    });
    this.subscriber
      .connect()
      .then(() => this.subscriber.subscribe(this.keys.channel))
      .catch(() => {});
    this.subscriber.on('ready', () => {
      // After a reconnect: events may have been missed.
      this.reload().catch(() => {});
    });
    this.timers.push(
      setInterval(() => this.reload().catch(() => {}), RESYNC_MS),
    );
    this.timers.push(
      setInterval(
        () => this.report().catch(() => {}),
        GATEWAY_REDIS.reportIntervalMs,
      ),
    );
    for (const t of this.timers) t.unref();
  }

  async reload() {
    await Promise.all([this.reloadLimits(), this.reloadRevocations()]);
    this.metrics.redisUp.set(1);
  }

  async reloadLimits() {
    const raw = await this.client.get(this.keys.limits);
    if (!raw) return;
    let parsed;
    try {
      parsed = parseGatewayLimits(JSON.parse(raw));
    } catch {
      parsed = { ok: false as const, problems: ['not JSON'] };
    }
    if (!parsed.ok) {
      this.log.event('warn', 'Ignoring invalid limits from Redis', {
        problems: parsed.problems,
      });
      return;
    }
    this.access.limits = parsed.limits;
    this.onLimits();
  }

  async reloadRevocations() {
    const [all, stopped] = await Promise.all([
      this.client.hgetall(this.keys.revocations),
      this.client.zrangebyscore(
        this.keys.stopped,
        `(${Date.now()}`,
        '+inf',
        'WITHSCORES',
      ),
    ]);
    const stoppedUntil = new Map<string, number>();
    for (let i = 0; i < stopped.length; i += 2)
      stoppedUntil.set(stopped[i], Number(stopped[i + 1]));
    this.access.setStoppedInstances(stoppedUntil);
    const list: GatewayRevocation[] = [];
    for (const [field, value] of Object.entries(all)) {
      try {
        list.push(JSON.parse(value));
      } catch {
        const colon = field.indexOf(':');
        list.push({
          scope: field.slice(0, colon) as GatewayRevocation['scope'],
          value: field.slice(colon + 1),
          at: '',
        });
      }
    }
    this.access.setRevocations(list);
  }

  /** The link-token ledger's shared side: true the first time a token id is claimed. */
  async claimOnce(tokenId: string, expMs: number): Promise<boolean> {
    const set = await this.client.set(
      this.keys.usedLink + tokenId,
      '1',
      'PXAT',
      expMs,
      'NX',
    );
    return set === 'OK';
  }

  async report() {
    const report: GatewayConnectionsReport = {
      replica: this.replica,
      at: new Date().toISOString(),
      connections: this.live.snapshot(),
    };
    await this.client.set(
      this.keys.report,
      JSON.stringify(report),
      'EX',
      GATEWAY_REDIS.reportTtlSeconds,
    );
  }

  async stop() {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.all([
      this.client.quit().catch(() => {}),
      this.subscriber.quit().catch(() => {}),
    ]);
  }
}
