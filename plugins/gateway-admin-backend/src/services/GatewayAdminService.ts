import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_GATEWAY_LIMITS,
  parseGatewayLimits,
  type GatewayRevocation,
  type GatewayRevocationScope,
} from '@flagstage/plugin-gateway-common';
import type {
  GatewayAdminHealth,
  GatewayConnectionsResponse,
  GatewayLimitsResponse,
  GatewayPublishState,
  GatewayRevocationsResponse,
  GatewayTopTalkersResponse,
} from '@flagstage/plugin-gateway-admin-common';
import type { GatewayAdminStore, LimitsState } from './GatewayAdminStore';
import type { GatewayRedis, WriteMode } from './GatewayRedis';
import { mergeReports, parseReport, rankTalkers } from './connections';

export const NOT_CONFIGURED_WARNING =
  'Redis is not configured (gatewayAdmin.redis.url): changes are saved in the database but NOT published to the gateways, which keep their own configured limits and know no revocations.';
export const UNREACHABLE_WARNING =
  'Redis is unreachable: changes are saved in the database but not yet published to the gateways. They are published as soon as Redis is back (and by the periodic resync).';
const NO_REDIS_CONNECTIONS_NOTE =
  'Live connections come from the gateways’ reports in Redis, and Redis is not configured (gatewayAdmin.redis.url).';
const UNREACHABLE_CONNECTIONS_NOTE =
  'Live connections come from the gateways’ reports in Redis, which is unreachable right now.';

/**
 * Limits and revocations: validated, saved in the database (the source of
 * truth), then published to Redis for the gateways. Redis writes are
 * serialised and always carry the database state read after the change, so
 * concurrent changes in this process cannot leave Redis on an older state;
 * the periodic resync covers other replicas and lost writes.
 */
export class GatewayAdminService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: GatewayAdminStore,
    private readonly redis: GatewayRedis | undefined,
    private readonly logger: LoggerService,
  ) {}

  /** Runs Redis work one job at a time. */
  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Whether the current state is being published (for reads). */
  private publishState(): GatewayPublishState {
    if (!this.redis)
      return { published: false, warning: NOT_CONFIGURED_WARNING };
    return this.redis.up
      ? { published: true }
      : { published: false, warning: UNREACHABLE_WARNING };
  }

  /** Publishes the database state of one kind; never throws. */
  private async publish(
    kind: 'limits' | 'revocations',
  ): Promise<GatewayPublishState> {
    if (!this.redis)
      return { published: false, warning: NOT_CONFIGURED_WARNING };
    try {
      await this.exclusive(() => this.push(kind, 'always'));
      return { published: true };
    } catch (e) {
      this.logger.warn(
        `Gateway ${kind} saved but not published to Redis: ${
          (e as Error).message
        }`,
      );
      return { published: false, warning: UNREACHABLE_WARNING };
    }
  }

  /** Writes the database state of one kind to Redis. */
  private async push(kind: 'limits' | 'revocations', mode: WriteMode) {
    const redis = this.redis!;
    if (kind === 'limits') {
      const { limits } = await this.store.currentLimits();
      return redis.writeLimits(limits, mode);
    }
    return redis.writeRevocations(await this.store.listRevocations(), mode);
  }

  private limitsView(
    state: LimitsState,
  ): Omit<GatewayLimitsResponse, keyof GatewayPublishState> {
    return {
      limits: state.limits,
      defaults: DEFAULT_GATEWAY_LIMITS,
      version: state.version,
      ...(state.updatedBy ? { updatedBy: state.updatedBy } : {}),
      ...(state.updatedAt ? { updatedAt: state.updatedAt } : {}),
    };
  }

  async getLimits(): Promise<GatewayLimitsResponse> {
    return {
      ...this.limitsView(await this.store.currentLimits()),
      ...this.publishState(),
    };
  }

  /** Validates with the contract (every problem named), saves, publishes. */
  async updateLimits(
    input: unknown,
    by: string,
    baseVersion?: number,
  ): Promise<GatewayLimitsResponse> {
    const parsed = parseGatewayLimits(input);
    if (!parsed.ok) {
      throw new InputError(`Invalid limits: ${parsed.problems.join('; ')}`);
    }
    const saved = await this.store.saveLimits(parsed.limits, by, baseVersion);
    this.logger.info('Gateway limits saved', {
      version: saved.version,
      by,
    });
    return { ...this.limitsView(saved), ...(await this.publish('limits')) };
  }

  async limitsHistory(limit: number) {
    const items = await this.store.limitsHistory(limit);
    return {
      items: items.map(s => ({
        version: s.version,
        limits: s.limits,
        updatedBy: s.updatedBy!,
        updatedAt: s.updatedAt!,
      })),
    };
  }

  async listRevocations(): Promise<GatewayRevocationsResponse> {
    return {
      items: await this.store.listRevocations(),
      ...this.publishState(),
    };
  }

  async revoke(input: {
    scope: GatewayRevocationScope;
    value: string;
    reason?: string;
    by: string;
  }): Promise<GatewayPublishState & { revocation: GatewayRevocation }> {
    const revocation = await this.store.createRevocation(input);
    this.logger.info('Gateway access revoked', {
      scope: input.scope,
      value: input.value,
      by: input.by,
    });
    return { revocation, ...(await this.publish('revocations')) };
  }

  async unrevoke(
    scope: GatewayRevocationScope,
    value: string,
    by: string,
  ): Promise<GatewayPublishState & { deleted: GatewayRevocation }> {
    const deleted = await this.store.deleteRevocation(scope, value);
    this.logger.info('Gateway revocation lifted', { scope, value, by });
    return { deleted, ...(await this.publish('revocations')) };
  }

  /**
   * Makes Redis match the database, writing (and announcing) only what
   * differs. Run by the scheduler and on every Redis (re)connect; skipped
   * while Redis is down (the reconnect runs it).
   */
  async resync(): Promise<{ limits: boolean; revocations: boolean }> {
    if (!this.redis?.up) return { limits: false, revocations: false };
    return this.exclusive(async () => {
      const limits = await this.push('limits', 'ifChanged');
      const revocations = await this.push('revocations', 'ifChanged');
      if (limits || revocations) {
        this.logger.info('Gateway Redis state republished from the database', {
          limits,
          revocations,
        });
      }
      return { limits, revocations };
    });
  }

  private async reports() {
    const redis = this.redis!;
    const raw = await redis.readReports();
    const reports = [];
    for (const { key, raw: json } of raw) {
      const report = parseReport(key, json, redis.keys.connectionsPrefix);
      if (report) reports.push(report);
      else this.logger.warn(`Ignoring a malformed gateway report at ${key}`);
    }
    return reports;
  }

  /** Why live data is unavailable, or undefined when it can be read. */
  private unavailable(): string | undefined {
    if (!this.redis) return NO_REDIS_CONNECTIONS_NOTE;
    if (!this.redis.up) return UNREACHABLE_CONNECTIONS_NOTE;
    return undefined;
  }

  async connections(filter: {
    instance?: string;
    team?: string;
  }): Promise<GatewayConnectionsResponse> {
    return this.fromReports(reports => mergeReports(reports, filter), {
      replicas: [],
      connections: [],
    });
  }

  async topTalkers(limit: number): Promise<GatewayTopTalkersResponse> {
    return this.fromReports(
      reports => rankTalkers(mergeReports(reports, {}).connections, limit),
      { teams: [], instances: [] },
    );
  }

  /** A view of the replicas' reports, or why there is none (not configured, unreachable). */
  private async fromReports<T extends object>(
    view: (reports: Awaited<ReturnType<GatewayAdminService['reports']>>) => T,
    empty: T,
  ): Promise<
    ({ available: true } & T) | ({ available: false; note: string } & T)
  > {
    const note = this.unavailable();
    if (note) return { available: false, note, ...empty };
    try {
      return { available: true, ...view(await this.reports()) };
    } catch (e) {
      this.logger.warn(
        `Reading gateway reports failed: ${(e as Error).message}`,
      );
      return { available: false, note: UNREACHABLE_CONNECTIONS_NOTE, ...empty };
    }
  }

  health(): GatewayAdminHealth {
    if (!this.redis) return { status: 'ok', redis: 'disabled' };
    return { status: 'ok', redis: this.redis.up ? 'up' : 'down' };
  }
}
