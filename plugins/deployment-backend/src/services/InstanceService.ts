import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import { randomUUID } from 'node:crypto';
import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  stringifyEntityRef,
  parseEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { isChallengeEntity } from '@flagstage/plugin-challenge-common';
import {
  ACTIVE_INSTANCE_STATES,
  QueueFullError,
  type DeploymentJob,
  type InstanceState,
  type InstanceView,
  type JobQueue,
} from '@flagstage/plugin-deployment-common';
import { toEpochMs, toIso } from '@flagstage/backend-node';
import type { DeploymentConfig } from '../config';
import { InstanceStore, type InstanceRow } from '../database/InstanceStore';
import { accessFor } from './accessInfo';
import type { GatewayInstanceRevocations } from '@flagstage/plugin-gateway-node';

export type EntityLoader = (ref: string) => Promise<Entity | undefined>;

export function instanceView(
  row: InstanceRow,
  config: DeploymentConfig,
): InstanceView {
  const expiresAt = toIso(row.expires_at);
  const extendable =
    row.state === 'RUNNING' && row.extend_count < config.extend.maxTimes
      ? new Date(
          new Date(expiresAt).getTime() - config.extend.windowMinutes * 60_000,
        ).toISOString()
      : null;
  return {
    id: row.id,
    contestId: row.contest_id,
    teamId: row.team_id,
    challengeRef: row.challenge_ref,
    challenge: row.challenge_name,
    state: row.state,
    failureReason: row.failure_reason,
    protocol: row.protocol,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    expiresAt,
    extendCount: row.extend_count,
    extendableFrom: extendable,
  };
}

/**
 * Starts, stops, extends and reports instances. The row is the source of
 * truth; the cache holds the latest view for fast polling (written through
 * on every change made here).
 */
export class InstanceService {
  constructor(
    private readonly store: InstanceStore,
    private readonly queue: JobQueue,
    private readonly cache: CacheService,
    private readonly config: DeploymentConfig,
    private readonly logger: LoggerService,
    private readonly loadEntity: EntityLoader,
    private readonly gateways?: GatewayInstanceRevocations,
  ) {}

  /**
   * Tells the gateways to refuse a gone instance's tokens until the last one
   * it could have been given expires (a minute's margin for clock skew): its
   * port or Service may serve another team's instance next.
   */
  private async revokeTokens(row: InstanceRow) {
    if (!this.gateways) return;
    const now = Date.now();
    const lastExpiry = Math.min(
      toEpochMs(row.expires_at),
      now + this.config.gateway.tokenTtlSeconds * 1000,
    );
    await this.gateways.instanceStopped(
      row.id,
      Math.max(now, lastExpiry) + 60_000,
    );
  }

  private cacheKey(id: string) {
    return `instance:${id}`;
  }

  private async remember(row: InstanceRow) {
    await this.cache.set(this.cacheKey(row.id), row as any, {
      ttl: this.config.cacheTtlSeconds * 1000,
    });
  }

  async forget(id: string) {
    await this.cache.delete(this.cacheKey(id));
  }

  private job(
    row: InstanceRow,
    action: DeploymentJob['action'],
    spec?: Record<string, unknown>,
  ): DeploymentJob {
    return {
      jobId: randomUUID(),
      action,
      instanceId: row.id,
      contestId: row.contest_id,
      teamId: row.team_id,
      challengeRef: row.challenge_ref,
      spec,
      requestedAt: new Date().toISOString(),
      traceparent: row.traceparent ?? undefined,
    };
  }

  /** Starts an instance of an instanced challenge for a team. */
  async start(input: {
    contestId: string;
    teamId: string;
    challengeRef: string;
    requestedBy: string;
    traceparent?: string;
  }): Promise<InstanceView> {
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(input.challengeRef, {
          defaultKind: 'challenge',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      throw new InputError(`Not an entity ref: ${input.challengeRef}`);
    }
    const entity = await this.loadEntity(ref);
    if (!entity || !isChallengeEntity(entity))
      throw new NotFoundError(`No challenge ${ref}`);
    const runtime = entity.spec.runtime;
    if (entity.spec.type !== 'instanced' || !runtime) {
      throw new InputError(
        `${entity.metadata.name} has no instances: it is a ${entity.spec.type} challenge`,
      );
    }
    const ttl = Math.min(
      runtime.ttlSeconds ?? this.config.instanceTtlSeconds,
      this.config.instanceTtlSeconds,
    );
    // Marked QUEUED before the publish, so a worker that takes the job at once finds it QUEUED.
    const row = await this.store.create({
      contestId: input.contestId,
      teamId: input.teamId,
      challengeRef: ref,
      challengeName: entity.metadata.name,
      protocol: runtime.protocol === 'tcp' ? 'tcp' : 'http',
      requestedBy: input.requestedBy,
      ttlSeconds: ttl,
      maxActivePerTeam: this.config.maxActivePerTeam,
      traceparent: input.traceparent,
      initialState: 'QUEUED',
    });
    try {
      await this.queue.publish(
        this.job(row, 'deploy', runtime as unknown as Record<string, unknown>),
        { expiresInMs: this.config.queue.expirySeconds * 1000 },
      );
    } catch (e) {
      // Nothing was queued: end the instance so the slot frees, and tell the caller.
      await this.store.transition(row.id, ['QUEUED'], 'FAILED', {
        reason:
          e instanceof QueueFullError ? 'queue full' : 'queue unavailable',
        actor: 'deployment-backend',
      });
      await this.forget(row.id);
      throw e instanceof QueueFullError ? e : new QueueFullError(5);
    }
    const queued = row;
    await this.remember(queued);
    this.logger.info('Instance requested', {
      instanceId: row.id,
      contestId: row.contest_id,
      teamId: row.team_id,
      challengeRef: row.challenge_ref,
    });
    return instanceView(queued, this.config);
  }

  /** Stops an instance. Before deploying it ends at once; afterwards the worker tears it down. */
  async stop(
    id: string,
    actor: string,
    reason = 'stopped',
  ): Promise<InstanceView> {
    const row = await this.store.get(id);
    const early = await this.store.transition(
      id,
      ['REQUESTED', 'QUEUED'],
      'STOPPED',
      { actor, reason },
    );
    if (early) {
      await this.remember(early);
      return instanceView(early, this.config);
    }
    const stopping = await this.store.transition(
      id,
      ['DEPLOYING', 'RUNNING'],
      'STOPPING',
      { actor, reason },
    );
    if (!stopping) {
      const now = await this.store.get(id);
      await this.remember(now);
      return instanceView(now, this.config);
    }
    await this.remember(stopping);
    await this.revokeTokens(stopping);
    await this.queue.publish(this.job(row, 'stop'), {
      expiresInMs: this.config.queue.expirySeconds * 1000,
    });
    return instanceView(stopping, this.config);
  }

  /** Pushes a RUNNING instance's expiry out, within the window before it and up to the configured times. */
  async extend(
    id: string,
    actor: string,
    now = new Date(),
  ): Promise<InstanceView> {
    const row = await this.store.get(id);
    if (row.state !== 'RUNNING')
      throw new ConflictError('Only a running instance can be extended');
    if (row.extend_count >= this.config.extend.maxTimes)
      throw new ConflictError(
        `This instance was already extended ${this.config.extend.maxTimes} times`,
      );
    const expiresAt = new Date(toIso(row.expires_at));
    const opens =
      expiresAt.getTime() - this.config.extend.windowMinutes * 60_000;
    if (now.getTime() < opens)
      throw new ConflictError(
        `Extending opens ${
          this.config.extend.windowMinutes
        } minutes before expiry (${new Date(opens).toISOString()})`,
      );
    const next = new Date(
      expiresAt.getTime() + this.config.extend.bySeconds * 1000,
    );
    if (!(await this.store.extend(id, row.extend_count, next, actor)))
      throw new ConflictError('The instance changed meanwhile; try again');
    const updated = await this.store.get(id);
    await this.remember(updated);
    return instanceView(updated, this.config);
  }

  /** Status for polling: from the cache when fresh, with the access link when RUNNING and `withAccess`. */
  async status(
    id: string,
    options: { withAccess?: boolean } = {},
  ): Promise<InstanceView> {
    let row = (await this.cache.get(this.cacheKey(id))) as
      | InstanceRow
      | undefined;
    if (!row) {
      row = await this.store.get(id);
      await this.remember(row);
    }
    const view = instanceView(row, this.config);
    if (options.withAccess) view.access = accessFor(row, this.config.gateway);
    return view;
  }

  /** The team's active instance of a challenge, if any. */
  async activeFor(contestId: string, teamId: string, challengeRef: string) {
    const row = await this.store.findActive(contestId, teamId, challengeRef);
    return row ? this.status(row.id, { withAccess: true }) : undefined;
  }

  async list(filter: Parameters<InstanceStore['list']>[0]) {
    return (await this.store.list(filter)).map(r =>
      instanceView(r, this.config),
    );
  }

  /**
   * Stops RUNNING instances past their expiry (they end EXPIRED), and fails
   * instances whose deploy job never ran (queued for twice the queue expiry:
   * e.g. the backend died between the commit and the publish).
   */
  async sweepExpired(now = new Date()): Promise<number> {
    let n = 0;
    const stuckBefore = new Date(
      now.getTime() - 2 * this.config.queue.expirySeconds * 1000,
    );
    for (const row of await this.store.stuckQueued(stuckBefore)) {
      const failed = await this.store.transition(
        row.id,
        ['REQUESTED', 'QUEUED'],
        'FAILED',
        {
          actor: 'expiry-sweeper',
          reason: 'the deploy job was never picked up',
        },
      );
      if (failed) await this.remember(failed);
    }
    for (const row of await this.store.expired(now)) {
      const stopping = await this.store.transition(
        row.id,
        ['RUNNING'],
        'STOPPING',
        { actor: 'expiry-sweeper', reason: 'expired' },
      );
      if (!stopping) continue;
      await this.remember(stopping);
      await this.revokeTokens(stopping);
      await this.queue.publish(this.job(row, 'stop', { end: 'EXPIRED' }), {
        expiresInMs: this.config.queue.expirySeconds * 1000,
      });
      n += 1;
    }
    if (n > 0) this.logger.info('Expired instances sent to stop', { count: n });
    return n;
  }

  /** Rewrites the cached views of these instances from the database; returns how many exist. */
  async refresh(ids: string[]): Promise<number> {
    let n = 0;
    for (const id of ids) {
      const row = await this.store.get(id).catch(() => undefined);
      if (!row) continue;
      await this.remember(row);
      n += 1;
    }
    return n;
  }

  /** Applies a transition reported by the worker (compare-and-set), refreshing the cache. */
  async applyTransition(
    id: string,
    from: InstanceState[],
    to: InstanceState,
    options: { reason?: string; endpoint?: string | null; actor: string },
  ) {
    const row = await this.store.transition(id, from, to, options);
    if (row) await this.remember(row);
    else await this.forget(id);
    // Ended by the worker (stopped, expired, or failed while running).
    if (row && (to === 'STOPPED' || to === 'EXPIRED' || to === 'FAILED'))
      await this.revokeTokens(row);
    if (row && to === 'RUNNING') {
      const created = toEpochMs(row.created_at);
      flagstageMetrics
        .instanceStartDuration()
        .observe(Math.max(0, (Date.now() - created) / 1000));
    }
    return row;
  }

  static readonly ACTIVE = ACTIVE_INSTANCE_STATES;
}
