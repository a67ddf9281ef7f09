import path from 'node:path';
import {
  flagstageMetrics,
  withSpan,
} from '@flagstage/plugin-observability-node';
import { fileURLToPath } from 'node:url';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { isChallengeEntity } from '@flagstage/plugin-challenge-common';
import type {
  DeadLetterReason,
  DeploymentJob,
  JobDelivery,
  JobQueue,
  QueueConsumer,
  RuntimeDriver,
} from '@flagstage/plugin-deployment-common';
import type { BuildApi, ContestRuntimeApi, InstanceApi } from './clients';

/** What a driver needs to build a challenge image (the Kubernetes driver). */
export type BuildRequest = {
  buildId: string;
  entity: Entity;
  token: string;
  callbackUrl: string;
};

/** A driver that can build images (only the Kubernetes driver can). */
export interface ImageBuilder {
  /** The workflow name a build gets (deterministic). */
  buildWorkflowName(buildId: string): string;
  /** Submits the build; throws InputError for what can never build. */
  submitBuild(request: BuildRequest): Promise<void>;
}

const deployJobs = flagstageMetrics.deployJobs;

const LOCATION_ANNOTATION = 'backstage.io/managed-by-origin-location';
const MANAGED_LOCATION = 'backstage.io/managed-by-location';

/** The package folder of a challenge registered from a file location (local driver). */
export function packageDirOf(entity: Entity): string | undefined {
  const location =
    entity.metadata.annotations?.[MANAGED_LOCATION] ??
    entity.metadata.annotations?.[LOCATION_ANNOTATION];
  if (!location?.startsWith('file:')) return undefined;
  const target = location.slice('file:'.length);
  const file = target.startsWith('file://') ? fileURLToPath(target) : target;
  return path.dirname(file);
}

/**
 * Consumes deploy and stop jobs. Acks only after the driver accepted the
 * job (started or stopped the runtime); a failing job is redelivered and,
 * after the delivery limit, dead-lettered — the dead-letter handler fails
 * its instance with the reason. Every state change is a compare-and-set
 * through the deployment backend, so a redelivered or stale job does
 * nothing once its instance has moved on.
 */
export class DeploymentWorker {
  private consumers: QueueConsumer[] = [];
  private readonly lastError = new Map<string, string>();
  private inFlight = 0;
  private readonly pendingOutput = new Map<
    string,
    { stream: string; line: string; at: string }[]
  >();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly deps: {
      queue: JobQueue;
      driver: RuntimeDriver;
      instances: InstanceApi;
      contest: ContestRuntimeApi;
      loadEntity: (ref: string) => Promise<Entity | undefined>;
      logger: LoggerService;
      concurrency: number;
      /** Builds (absent: every build fails with a reason). */
      builds?: BuildApi;
      builder?: ImageBuilder;
    },
  ) {}

  async start() {
    this.consumers.push(
      await this.deps.queue.consume(
        (job, delivery) => this.handle(job, delivery),
        {
          prefetch: this.deps.concurrency,
        },
      ),
    );
    this.consumers.push(
      await this.deps.queue.consumeDeadLetters((job, reason) =>
        this.deadLetter(job, reason),
      ),
    );
    this.flushTimer = setInterval(
      () => this.flushOutput().catch(() => {}),
      1000,
    );
    this.flushTimer.unref();
  }

  async stop() {
    clearInterval(this.flushTimer);
    await Promise.all(this.consumers.map(c => c.cancel()));
    this.consumers = [];
    await this.flushOutput().catch(() => {});
  }

  /** Deploys in flight right now (never above the concurrency budget). */
  get busy() {
    return this.inFlight;
  }

  /** Queues captured output for the deployment backend (flushed every second). */
  captureOutput(
    instanceId: string,
    line: { stream: string; line: string; at: string },
  ) {
    const list = this.pendingOutput.get(instanceId) ?? [];
    list.push(line);
    this.pendingOutput.set(instanceId, list);
  }

  async flushOutput() {
    const batches = [...this.pendingOutput.entries()];
    this.pendingOutput.clear();
    for (const [id, lines] of batches)
      await this.deps.instances.output(id, lines.slice(-500));
  }

  /** Handles a job inside the trace of the request that caused it. */
  private handle(job: DeploymentJob, delivery: JobDelivery) {
    return withSpan(
      `deployment job ${job.action}`,
      {
        kind: 'consumer',
        parent: job.traceparent,
        attributes: {
          'flagstage.instance':
            job.action === 'build' ? undefined : job.instanceId,
          'flagstage.job.action': job.action,
          'messaging.message.id': job.jobId,
          'flagstage.delivery.attempt': delivery.attempt,
        },
      },
      () => this.handleInTrace(job, delivery),
    );
  }

  private async handleInTrace(job: DeploymentJob, delivery: JobDelivery) {
    this.inFlight += 1;
    try {
      if (job.action === 'deploy') await this.deploy(job, delivery);
      else if (job.action === 'build') await this.build(job);
      else await this.stopInstance(job);
      deployJobs().inc({ action: job.action, result: 'ok' });
    } catch (e) {
      deployJobs().inc({ action: job.action, result: 'failed' });
      const message = e instanceof Error ? e.message : String(e);
      this.lastError.set(job.instanceId, message);
      this.deps.logger.warn('Deployment job failed; it will be retried', {
        instanceId: job.instanceId,
        action: job.action,
        attempt: delivery.attempt,
        error: message,
      });
      throw e;
    } finally {
      this.inFlight -= 1;
    }
  }

  private async deploy(job: DeploymentJob, delivery: JobDelivery) {
    const { instances, driver } = this.deps;
    const instance = await instances.get(job.instanceId);
    if (instance.state === 'QUEUED') {
      const moved = await instances.transition(
        instance.id,
        ['QUEUED'],
        'DEPLOYING',
      );
      if (!moved.ok) return; // stopped meanwhile
    } else if (instance.state !== 'DEPLOYING') {
      return; // already running, stopped or failed: a stale or duplicate job
    }
    const entity = await this.deps.loadEntity(instance.challenge_ref);
    if (!entity || !isChallengeEntity(entity) || !entity.spec.runtime) {
      await instances.transition(instance.id, ['DEPLOYING'], 'FAILED', {
        reason: `challenge ${instance.challenge_ref} is not in the catalog or has no runtime`,
      });
      return;
    }
    const env = await this.deps.contest.env(
      instance.contest_id,
      instance.team_id,
      instance.challenge_ref,
    );
    this.deps.logger.info('Deploying instance', {
      instanceId: instance.id,
      contestId: instance.contest_id,
      teamId: instance.team_id,
      challengeRef: instance.challenge_ref,
      driver: driver.name,
    });
    const endpoint = await driver.start({
      instanceId: instance.id,
      contestId: instance.contest_id,
      teamId: instance.team_id,
      challengeRef: instance.challenge_ref,
      challengeName: instance.challenge_name,
      runtime: entity.spec.runtime as any,
      packageDir: packageDirOf(entity),
      env,
      expiresAt: instance.expires_at,
      traceparent: job.traceparent ?? instance.traceparent ?? undefined,
    });
    if (endpoint.ready === false) {
      // Submitted (Kubernetes): the pod listener moves it to RUNNING when
      // the pod is Ready, or to FAILED with the reason.
      this.lastError.delete(instance.id);
      return;
    }
    const running = await instances.transition(
      instance.id,
      ['DEPLOYING'],
      'RUNNING',
      {
        endpoint: endpoint.target,
        reason: delivery.redelivered
          ? `started on attempt ${delivery.attempt}`
          : undefined,
      },
    );
    if (!running.ok) {
      // Stopped while deploying: take down what was just started.
      await driver.stop(instance.id);
      if (running.state === 'STOPPING')
        await instances.transition(instance.id, ['STOPPING'], 'STOPPED', {
          reason: 'stopped while deploying',
        });
    }
    this.lastError.delete(instance.id);
  }

  private async build(job: DeploymentJob) {
    const { builds, builder } = this.deps;
    if (!builds) return;
    if (!builder) {
      await builds.fail(
        job.instanceId,
        `the ${this.deps.driver.name} driver cannot build images; builds need deploymentWorker.driver: kubernetes`,
      );
      return;
    }
    const claimed = await builds.claim(
      job.instanceId,
      builder.buildWorkflowName(job.instanceId),
    );
    if (!claimed) return; // a redelivery of a build already claimed
    const entity = await this.deps.loadEntity(claimed.challengeRef);
    try {
      if (!entity)
        throw new InputError(`${claimed.challengeRef} is not in the catalog`);
      await builder.submitBuild({
        buildId: job.instanceId,
        entity,
        token: claimed.token,
        callbackUrl: claimed.callbackUrl,
      });
    } catch (e) {
      // The token was handed out once; a retry could not use it, so any
      // failure to submit ends the build with the reason.
      await builds.fail(
        job.instanceId,
        `the build could not be submitted: ${
          e instanceof Error ? e.message : String(e)
        }`,
      );
    }
  }

  private async stopInstance(job: DeploymentJob) {
    const { instances, driver } = this.deps;
    await driver.stop(job.instanceId);
    // The exit line is part of the record before the instance reads as ended.
    await this.flushOutput().catch(() => {});
    const end = job.spec?.end === 'EXPIRED' ? 'EXPIRED' : 'STOPPED';
    await instances.transition(job.instanceId, ['STOPPING'], end);
  }

  private deadLetter(job: DeploymentJob, reason: DeadLetterReason) {
    return withSpan(
      `deployment job ${job.action} dead-lettered`,
      { kind: 'consumer', parent: job.traceparent },
      () => this.deadLetterInTrace(job, reason),
    );
  }

  private async deadLetterInTrace(
    job: DeploymentJob,
    reason: DeadLetterReason,
  ) {
    const { instances, driver } = this.deps;
    deployJobs().inc({ action: job.action, result: 'dead_lettered' });
    if (job.action === 'build') {
      await this.deps.builds?.fail(
        job.instanceId,
        reason === 'expired'
          ? 'the build waited in the queue past its expiry'
          : `the build job failed after repeated attempts: ${
              this.lastError.get(job.instanceId) ?? reason
            }`,
      );
      return;
    }
    const why =
      reason === 'expired'
        ? 'the deploy waited in the queue past its expiry'
        : `${job.action} failed after repeated attempts: ${
            this.lastError.get(job.instanceId) ?? reason
          }`;
    this.deps.logger.warn('Dead-lettered deployment job', {
      instanceId: job.instanceId,
      action: job.action,
      reason,
    });
    await driver.stop(job.instanceId).catch(() => {});
    await instances.transition(
      job.instanceId,
      ['REQUESTED', 'QUEUED', 'DEPLOYING', 'STOPPING'],
      'FAILED',
      { reason: why },
    );
    this.lastError.delete(job.instanceId);
  }
}
