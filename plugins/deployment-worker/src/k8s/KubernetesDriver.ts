import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  type V1Namespace,
} from '@kubernetes/client-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { currentTraceparent } from '@flagstage/plugin-observability-node';
import { InputError } from '@backstage/errors';
import type {
  RuntimeDriver,
  RuntimeEndpoint,
  RuntimeObservation,
  RuntimeStartRequest,
} from '@flagstage/plugin-deployment-common';
import {
  MANAGED_BY_SELECTOR,
  flagSecretName,
  namespaceFor,
  startWorkflowName,
  targetFor,
} from './names';
import { podVerdict } from './podVerdict';
import {
  buildWorkflowName,
  renderBuildTokenSecret,
  renderBuildWorkflow,
  renderFlagSecret,
  renderStartWorkflow,
  renderStopWorkflow,
} from './render';
import type { BuildRequest, ImageBuilder } from '../services/DeploymentWorker';
import { resilientInformer, type ResilientInformer } from './resilientInformer';

const ARGO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' };
const FINISHED = new Set(['Succeeded', 'Failed', 'Error']);

/** A Workflow as far as the driver reads it. */
export type WorkflowObject = KubernetesObject & {
  spec?: { workflowTemplateRef?: { name?: string } };
  status?: {
    phase?: string;
    message?: string;
    nodes?: Record<string, any>;
  };
};

export type KubernetesDriverOptions = {
  kubeConfig: KubeConfig;
  logger: LoggerService;
  /** Where Workflows and flag Secrets live. Default: argo */
  argoNamespace?: string;
  /** Start workflows allowed to run at once (per worker). Default: 30 */
  maxRunningWorkflows?: number;
  /** How long stop waits for the namespace to be gone. Default: 60 s */
  stopTimeoutMs?: number;
  /** How long a start waits for a workflow slot before giving up. Default: 10 min */
  budgetWaitMs?: number;
  /**
   * Registry the build-challenge workflow pushes to: a challenge with
   * `runtime.build` and no `runtime.image` runs `<registry>/<name>:latest`.
   */
  registry?: string;
  /** Defaults when the Challenge entity sets no resources. */
  defaults?: { cpu?: string; memory?: string };
};

function statusOf(e: unknown): number | undefined {
  const err = e as { code?: number; statusCode?: number };
  return err?.code ?? err?.statusCode;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** `url:https://host/org/repo/tree/main/path` → `git://host/org/repo.git#refs/heads/main`. */
export function gitContext(
  sourceLocation: string | undefined,
): string | undefined {
  const m = sourceLocation?.match(
    /^url:https?:\/\/([^/]+)\/([^/]+)\/([^/#]+?)(?:\.git)?(?:\/(?:tree|blob)\/([^/]+))?(?:\/.*)?$/,
  );
  if (!m) return undefined;
  return `git://${m[1]}/${m[2]}/${m[3]}.git#refs/heads/${m[4] ?? 'main'}`;
}

/**
 * The production runtime: each instance is an Argo Workflow from the
 * `start-challenge` template, which creates the namespace, network policy,
 * service and Job. `start` only submits (with a deterministic name, so a
 * redelivered job meets 409 instead of creating a second workflow) and
 * returns `ready: false`; the pod listener moves the instance to RUNNING when
 * the pod is Ready. Start workflows in flight are limited by a budget read
 * from a watch of the workflows, so a burst queues here instead of flooding
 * Argo and the API server.
 */
export class KubernetesDriver implements RuntimeDriver, ImageBuilder {
  readonly name = 'kubernetes';
  readonly argoNamespace: string;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly workflows: ResilientInformer<WorkflowObject>;
  /** Submitted here and not yet seen by the watch (counted against the budget). */
  private readonly submitted = new Set<string>();
  private readonly max: number;
  private waiting = 0;

  constructor(private readonly options: KubernetesDriverOptions) {
    this.argoNamespace = options.argoNamespace ?? 'argo';
    this.max = options.maxRunningWorkflows ?? 30;
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
    const ns = this.argoNamespace;
    this.workflows = resilientInformer<WorkflowObject>({
      kubeConfig: options.kubeConfig,
      path: `/apis/${ARGO.group}/${ARGO.version}/namespaces/${ns}/${ARGO.plural}`,
      list: () =>
        this.custom.listNamespacedCustomObject({
          ...ARGO,
          namespace: ns,
          labelSelector: MANAGED_BY_SELECTOR,
        }),
      labelSelector: MANAGED_BY_SELECTOR,
      logger: options.logger,
      what: 'workflows',
    });
    const seen = (wf: WorkflowObject) =>
      this.submitted.delete(wf.metadata?.name ?? '');
    this.workflows.on('add', seen);
    this.workflows.on('update', seen);
  }

  /** Starts the workflow watch (the budget's view). */
  async connect() {
    await this.workflows.start();
  }

  async disconnect() {
    await this.workflows.stop();
  }

  /** The workflow watch, shared with the listener for status reports. */
  get workflowCache(): ResilientInformer<WorkflowObject> {
    return this.workflows;
  }

  /** Start workflows not finished, as the watch sees them, plus those submitted and not yet seen. */
  runningWorkflows(): number {
    let n = this.submitted.size;
    for (const wf of this.workflows.list(this.argoNamespace)) {
      if (wf.spec?.workflowTemplateRef?.name !== 'start-challenge') continue;
      if (!FINISHED.has(wf.status?.phase ?? '')) n += 1;
    }
    return n;
  }

  /** Starts waiting for a workflow slot right now. */
  get queuedForBudget(): number {
    return this.waiting;
  }

  async start(request: RuntimeStartRequest): Promise<RuntimeEndpoint> {
    const runtime = request.runtime as RuntimeStartRequest['runtime'] & {
      image?: string;
      build?: unknown;
      resources?: { cpu?: string; memory?: string };
      harden?: boolean;
      gvisor?: boolean;
    };
    const image =
      runtime.image ??
      (this.options.registry && runtime.build
        ? `${this.options.registry.replace(/\/$/, '')}/${
            request.challengeName
          }:latest`
        : undefined);
    if (!image)
      throw new InputError(
        `challenge ${request.challengeRef} has no runtime.image (and no runtime.build with a registry configured) for the Kubernetes driver`,
      );
    const name = startWorkflowName(request.instanceId);
    const endpoint = { target: targetFor(request.instanceId), ready: false };
    if (await this.workflowExists(name)) return endpoint;

    await this.acquireSlot(name);
    try {
      if (request.env.FLAG !== undefined) {
        await this.putFlagSecret(request.instanceId, request.env.FLAG, request);
      }
      const expiresAt = new Date(request.expiresAt);
      const body = renderStartWorkflow({
        instanceId: request.instanceId,
        contestId: request.contestId,
        teamId: request.teamId,
        challengeName: request.challengeName,
        image,
        port: runtime.port,
        protocol: runtime.protocol,
        expiresAt,
        ttlSeconds: Math.max(
          60,
          Math.ceil((expiresAt.getTime() - Date.now()) / 1000),
        ),
        cpu: runtime.resources?.cpu ?? this.options.defaults?.cpu,
        memory: runtime.resources?.memory ?? this.options.defaults?.memory,
        harden: runtime.harden ?? false,
        gvisor: runtime.gvisor ?? false,
        // The job's consumer span, so the workflow continues the worker's trace.
        traceparent: currentTraceparent() ?? request.traceparent,
        argoNamespace: this.argoNamespace,
      });
      await this.custom
        .createNamespacedCustomObject({
          ...ARGO,
          namespace: this.argoNamespace,
          body,
        })
        .catch(e => {
          // A redelivered job: the workflow is already there.
          if (statusOf(e) !== 409) throw e;
        });
    } catch (e) {
      this.submitted.delete(name);
      throw e;
    }
    return endpoint;
  }

  private async workflowExists(name: string): Promise<boolean> {
    if (this.workflows.get(name, this.argoNamespace)) return true;
    try {
      await this.custom.getNamespacedCustomObject({
        ...ARGO,
        namespace: this.argoNamespace,
        name,
      });
      return true;
    } catch (e) {
      if (statusOf(e) === 404) return false;
      throw e;
    }
  }

  /** Waits until fewer than the budget's start workflows are in flight, then takes a slot. */
  private async acquireSlot(name: string) {
    const deadline = Date.now() + (this.options.budgetWaitMs ?? 600_000);
    this.waiting += 1;
    try {
      // Node is single-threaded: the check and the add below happen with no
      // await between them, so two starts in this worker cannot both take
      // the last slot.
      while (this.runningWorkflows() >= this.max) {
        if (Date.now() > deadline)
          throw new Error(
            `no workflow slot within ${Math.round(
              (this.options.budgetWaitMs ?? 600_000) / 1000,
            )} s (budget ${this.max})`,
          );
        await sleep(100 + Math.random() * 100);
      }
      this.submitted.add(name);
    } finally {
      this.waiting -= 1;
    }
  }

  private async putFlagSecret(
    instanceId: string,
    flag: string,
    request: RuntimeStartRequest,
  ) {
    const body = renderFlagSecret({
      instanceId,
      flag,
      contestId: request.contestId,
      teamId: request.teamId,
      challengeName: request.challengeName,
      argoNamespace: this.argoNamespace,
    });
    try {
      await this.core.createNamespacedSecret({
        namespace: this.argoNamespace,
        body,
      });
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
      await this.core.replaceNamespacedSecret({
        name: flagSecretName(instanceId),
        namespace: this.argoNamespace,
        body,
      });
    }
  }

  /**
   * Submits the stop workflow (idempotent by name) and waits until the
   * instance's namespace is gone; removes the flag Secret.
   */
  async stop(instanceId: string): Promise<void> {
    await this.teardown(instanceId);
    const deadline = Date.now() + (this.options.stopTimeoutMs ?? 60_000);
    while (await this.namespace(instanceId)) {
      if (Date.now() > deadline)
        throw new Error(
          `namespace ${namespaceFor(
            instanceId,
          )} still exists after the stop workflow`,
        );
      await sleep(250);
    }
  }

  /** Submits the stop workflow and removes the flag Secret, without waiting. */
  async teardown(instanceId: string): Promise<void> {
    const namespace = await this.namespace(instanceId);
    if (
      namespace ||
      (await this.workflowExists(startWorkflowName(instanceId)))
    ) {
      await this.custom
        .createNamespacedCustomObject({
          ...ARGO,
          namespace: this.argoNamespace,
          body: renderStopWorkflow({
            instanceId,
            argoNamespace: this.argoNamespace,
            labels: namespace?.metadata?.labels,
          }),
        })
        .catch(e => {
          if (statusOf(e) !== 409) throw e;
        });
    }
    await this.core
      .deleteNamespacedSecret({
        name: flagSecretName(instanceId),
        namespace: this.argoNamespace,
      })
      .catch(e => {
        if (statusOf(e) !== 404) throw e;
      });
  }

  buildWorkflowName(buildId: string): string {
    return buildWorkflowName(buildId);
  }

  /**
   * Submits the build-challenge workflow for a Challenge entity: Kaniko
   * builds `spec.runtime.build` from the package's source (annotation
   * `flagstage.io/build-context`, else `backstage.io/source-location` as a
   * git context) and pushes `<registry>/<name>:latest`.
   */
  async submitBuild(request: BuildRequest): Promise<void> {
    const { entity } = request;
    const build = (entity.spec as any)?.runtime?.build as
      | { context?: string; dockerfile?: string }
      | undefined;
    if (!build)
      throw new InputError(`${entity.metadata.name} has no spec.runtime.build`);
    if (!this.options.registry)
      throw new InputError(
        'no registry configured (deploymentWorker.kubernetes.registry)',
      );
    const annotations = entity.metadata.annotations ?? {};
    const source =
      annotations['flagstage.io/build-context'] ??
      gitContext(annotations['backstage.io/source-location']);
    if (!source)
      throw new InputError(
        `${entity.metadata.name} has no build context: set the flagstage.io/build-context annotation (e.g. git://host/repo.git#refs/heads/main)`,
      );
    const secret = renderBuildTokenSecret({
      buildId: request.buildId,
      token: request.token,
      challengeName: entity.metadata.name,
      argoNamespace: this.argoNamespace,
    });
    await this.core
      .createNamespacedSecret({ namespace: this.argoNamespace, body: secret })
      .catch(async e => {
        if (statusOf(e) !== 409) throw e;
        await this.core.replaceNamespacedSecret({
          name: secret.metadata.name,
          namespace: this.argoNamespace,
          body: secret,
        });
      });
    await this.custom
      .createNamespacedCustomObject({
        ...ARGO,
        namespace: this.argoNamespace,
        body: renderBuildWorkflow({
          buildId: request.buildId,
          challengeName: entity.metadata.name,
          context: source,
          contextSubPath: build.context,
          dockerfile: build.dockerfile,
          registry: this.options.registry,
          callbackUrl: request.callbackUrl,
          argoNamespace: this.argoNamespace,
        }),
      })
      .catch(e => {
        if (statusOf(e) !== 409) throw e;
      });
  }

  /** Deletes a namespace directly (the reconciler's ghost reaping). */
  async deleteNamespace(name: string): Promise<void> {
    await this.core.deleteNamespace({ name }).catch(e => {
      if (statusOf(e) !== 404) throw e;
    });
  }

  private async namespace(
    instanceId: string,
  ): Promise<V1Namespace | undefined> {
    try {
      return await this.core.readNamespace({ name: namespaceFor(instanceId) });
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async observe(instanceId: string): Promise<RuntimeObservation> {
    if (!(await this.namespace(instanceId))) return { state: 'stopped' };
    const pods = await this.core.listNamespacedPod({
      namespace: namespaceFor(instanceId),
      labelSelector: MANAGED_BY_SELECTOR,
    });
    let starting = true;
    for (const pod of pods.items) {
      const verdict = podVerdict(pod);
      if (verdict.kind === 'failed')
        return { state: 'failed', reason: verdict.reason };
      if (verdict.kind === 'ready') starting = false;
    }
    return starting
      ? { state: 'starting' }
      : { state: 'running', endpoint: { target: targetFor(instanceId) } };
  }
}
