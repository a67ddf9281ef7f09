import {
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1Namespace,
  type V1Pod,
} from '@kubernetes/client-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  InstanceState,
  WorkflowStatus,
} from '@flagstage/plugin-deployment-common';
import type { WorkflowObject } from './KubernetesDriver';
import { LABELS, MANAGED_BY_SELECTOR, targetFor } from './names';
import { DEADLINE_REASON, jobDeadlineExceeded, podVerdict } from './podVerdict';
import { resilientInformer, type ResilientInformer } from './resilientInformer';
import { ShardedDispatcher } from './ShardedDispatcher';

/** What the listener needs from the deployment backend (InstanceApi implements it). */
export interface InstanceTransitions {
  transition(
    id: string,
    from: InstanceState[],
    to: InstanceState,
    options?: { reason?: string; endpoint?: string | null },
  ): Promise<{ ok: boolean; state: InstanceState }>;
  workflow(id: string, status: WorkflowStatus): Promise<void>;
}

export type PodListenerOptions = {
  kubeConfig: KubeConfig;
  instances: InstanceTransitions;
  logger: LoggerService;
  /** The driver's workflow watch: start-workflow failures and node statuses. */
  workflows?: ResilientInformer<WorkflowObject>;
  /** Cleans up after a failed instance (the driver's teardown). */
  teardown?: (instanceId: string) => Promise<void>;
  /** Serial lanes for events; one instance's events always share a lane. Default: 8 */
  shards?: number;
  /** Called for every decision, for metrics. */
  onDecision?: (decision: ListenerDecision) => void;
};

export type ListenerDecision = {
  instanceId: string;
  to: InstanceState;
  applied: boolean;
  reason?: string;
};

/**
 * Watches the cluster and moves instances: DEPLOYING → RUNNING when the
 * challenge pod is Ready; → FAILED with the reason on image-pull errors,
 * crash loops, the deadline (the challenge pod deleted by its Job at
 * activeDeadlineSeconds), or a failed start workflow; → STOPPED when the
 * namespace is gone. Events are handled on sharded serial lanes, so one
 * instance's events apply in order while others proceed. Every transition is
 * a compare-and-set in the deployment backend, so replays after a relist
 * (410 Gone) and duplicate events are harmless, and a relist delivers what
 * changed while the watch was down.
 */
export class PodListener {
  private readonly pods: ResilientInformer<V1Pod>;
  private readonly namespaces: ResilientInformer<V1Namespace>;
  private readonly lanes: ShardedDispatcher;
  /** Instances already reported failed by this listener (teardown once). */
  private readonly failed = new Set<string>();
  private readonly batch: BatchV1Api;

  constructor(private readonly options: PodListenerOptions) {
    const core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.batch = options.kubeConfig.makeApiClient(BatchV1Api);
    this.lanes = new ShardedDispatcher(options.shards ?? 8, (key, e) =>
      options.logger.warn('Instance event handling failed', {
        instanceId: key,
        error: String((e as Error)?.message ?? e),
      }),
    );
    this.pods = resilientInformer<V1Pod>({
      kubeConfig: options.kubeConfig,
      path: '/api/v1/pods',
      list: () =>
        core.listPodForAllNamespaces({ labelSelector: MANAGED_BY_SELECTOR }),
      labelSelector: MANAGED_BY_SELECTOR,
      logger: options.logger,
      what: 'pods',
    });
    this.namespaces = resilientInformer<V1Namespace>({
      kubeConfig: options.kubeConfig,
      path: '/api/v1/namespaces',
      list: () => core.listNamespace({ labelSelector: MANAGED_BY_SELECTOR }),
      labelSelector: MANAGED_BY_SELECTOR,
      logger: options.logger,
      what: 'namespaces',
    });
    const onPod = (pod: V1Pod) => {
      const id = this.instanceOfPod(pod);
      if (id) this.lanes.dispatch(id, () => this.handlePod(id, pod));
    };
    this.pods.on('add', onPod);
    this.pods.on('update', onPod);
    this.pods.on('delete', pod => {
      const id = this.instanceOfPod(pod);
      if (id) this.lanes.dispatch(id, () => this.podGone(id, pod));
    });
    this.namespaces.on('delete', ns => {
      const id = ns.metadata?.labels?.[LABELS.instance];
      if (id) this.lanes.dispatch(id, () => this.namespaceGone(id));
    });
    const onWorkflow = (wf: WorkflowObject) => {
      const id = wf.metadata?.labels?.[LABELS.instance];
      if (id && wf.spec?.workflowTemplateRef?.name === 'start-challenge')
        this.lanes.dispatch(id, () => this.handleWorkflow(id, wf));
    };
    options.workflows?.on('add', onWorkflow);
    options.workflows?.on('update', onWorkflow);
  }

  async start() {
    // Namespaces first: pods are mapped to instances through them.
    await this.namespaces.start();
    await this.pods.start();
  }

  async stop() {
    await this.pods.stop();
    await this.namespaces.stop();
    await this.lanes.idle();
  }

  /** Resolves when every event received so far has been handled (tests, shutdown). */
  idle() {
    return this.lanes.idle();
  }

  /** The namespaces the listener knows of (the reconciler's view of the cluster). */
  knownNamespaces(): ReadonlyArray<V1Namespace> {
    return this.namespaces.list();
  }

  /** The instance a pod belongs to: its namespace's label, else its own. */
  private instanceOfPod(pod: V1Pod): string | undefined {
    const ns = pod.metadata?.namespace;
    const fromNamespace = ns
      ? this.namespaces.get(ns)?.metadata?.labels?.[LABELS.instance]
      : undefined;
    return fromNamespace ?? pod.metadata?.labels?.[LABELS.instance];
  }

  private async apply(
    id: string,
    from: InstanceState[],
    to: InstanceState,
    options: { reason?: string; endpoint?: string | null } = {},
  ) {
    const result = await this.options.instances.transition(
      id,
      from,
      to,
      options,
    );
    this.options.onDecision?.({
      instanceId: id,
      to,
      applied: result.ok,
      reason: options.reason,
    });
    if (result.ok)
      this.options.logger.info(`Instance ${to.toLowerCase()}`, {
        instanceId: id,
        reason: options.reason,
      });
    return result;
  }

  private async handlePod(id: string, pod: V1Pod) {
    const verdict = podVerdict(pod);
    if (verdict.kind === 'ready') {
      await this.apply(id, ['DEPLOYING'], 'RUNNING', {
        endpoint: targetFor(id),
      });
    } else if (verdict.kind === 'failed') {
      await this.fail(id, verdict.reason);
    }
  }

  /**
   * A challenge pod deleted: at the Job's activeDeadlineSeconds the Job
   * controller deletes it and only the Job says why, so read the Job. Pods
   * of a namespace being deleted (a stop, a teardown) are skipped unread.
   */
  private async podGone(id: string, pod: V1Pod) {
    const namespace = pod.metadata?.namespace;
    const owner = pod.metadata?.ownerReferences?.find(
      o => o.kind === 'Job' && o.controller,
    );
    if (!namespace || !owner) return;
    const ns = this.namespaces.get(namespace);
    if (
      !ns ||
      ns.metadata?.deletionTimestamp ||
      ns.status?.phase === 'Terminating'
    )
      return;
    const job = await this.batch
      .readNamespacedJob({ name: owner.name, namespace })
      .catch(e => {
        if ((e as { code?: number })?.code === 404) return undefined;
        throw e;
      });
    if (job && jobDeadlineExceeded(job)) await this.fail(id, DEADLINE_REASON);
  }

  private async fail(id: string, reason: string) {
    const result = await this.apply(id, ['DEPLOYING', 'RUNNING'], 'FAILED', {
      reason,
    });
    if (result.ok && !this.failed.has(id)) {
      this.failed.add(id);
      await this.options.teardown?.(id);
    }
  }

  private async namespaceGone(id: string) {
    await this.apply(id, ['DEPLOYING', 'RUNNING', 'STOPPING'], 'STOPPED', {
      reason: 'the instance namespace is gone',
    });
    this.failed.delete(id);
  }

  private async handleWorkflow(id: string, wf: WorkflowObject) {
    const status = wf.status;
    if (!status?.phase) return;
    await this.options.instances.workflow(id, {
      name: wf.metadata?.name ?? '',
      phase: status.phase,
      message: status.message ?? undefined,
      nodes: Object.values(status.nodes ?? {}).map((n: any) => ({
        name: String(n.name ?? ''),
        displayName: String(n.displayName ?? n.name ?? ''),
        type: String(n.type ?? ''),
        phase: String(n.phase ?? ''),
        message: n.message ?? undefined,
        startedAt: n.startedAt ?? undefined,
        finishedAt: n.finishedAt ?? undefined,
      })),
      observedAt: new Date().toISOString(),
    });
    if (status.phase === 'Failed' || status.phase === 'Error')
      await this.fail(
        id,
        `the start workflow ${status.phase.toLowerCase()}: ${
          status.message ?? 'no message'
        }`.slice(0, 480),
      );
  }
}
