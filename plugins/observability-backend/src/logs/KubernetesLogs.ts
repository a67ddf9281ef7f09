import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  CoreV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import type {
  ContainerLog,
  PodLogOptions,
  PodLogs,
  WorkflowLogs,
} from '@flagstage/plugin-deployment-common';
import { checkInstanceId } from './logQuery';

// The log shapes are shared with the portal (deployment-common).
export type { ContainerLog, PodLogOptions, PodLogs, WorkflowLogs };

/** The container of a challenge pod (contract of the start-challenge template). */
export const CHALLENGE_CONTAINER = 'challenge';
/** The container of an Argo step pod that runs the step (the others are Argo's). */
const ARGO_MAIN_CONTAINER = 'main';
/** A log answer is cut at this size, so one noisy pod cannot exhaust the portal. */
const LIMIT_BYTES = 2 * 1024 * 1024;

const created = (p: V1Pod) =>
  new Date(p.metadata?.creationTimestamp ?? 0).getTime();

/** The Kubernetes Status message in a client-node error, or its own message. */
function apiMessage(e: unknown): { code?: number; message: string } {
  const err = e as { code?: number; body?: unknown; message?: string };
  let message: string | undefined;
  if (typeof err.body === 'string') {
    try {
      message = (JSON.parse(err.body) as { message?: string }).message;
    } catch {
      message = err.body;
    }
  } else if (err.body && typeof err.body === 'object')
    message = (err.body as { message?: string }).message;
  return {
    code: typeof err.code === 'number' ? err.code : undefined,
    // client-node's own message repeats the response headers; keep it out.
    message: message ?? String(err.message ?? e).split('\n')[0],
  };
}

/**
 * Reads instance logs from the Kubernetes API: the pods of the Argo start
 * workflow `start-<id>` (namespace `argo`, label
 * `workflows.argoproj.io/workflow`) and the challenge pod in `fs-<id>`
 * (container `challenge`).
 *
 * @public
 */
export class KubernetesLogs {
  private readonly core: CoreV1Api;
  private readonly argoNamespace: string;

  constructor(
    kubeConfig: KubeConfig,
    options: { argoNamespace?: string } = {},
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.argoNamespace = options.argoNamespace ?? 'argo';
  }

  /** The logs of every step pod of `start-<instanceId>`, oldest pod first. */
  async workflowLogs(
    instanceId: string,
    options: PodLogOptions = {},
  ): Promise<WorkflowLogs> {
    const workflow = `start-${checkInstanceId(instanceId)}`;
    const pods = await this.call(() =>
      this.core.listNamespacedPod({
        namespace: this.argoNamespace,
        labelSelector: `workflows.argoproj.io/workflow=${workflow}`,
      }),
    );
    const sorted = [...pods.items].sort((a, b) => created(a) - created(b));
    const logs: ContainerLog[] = [];
    for (const pod of sorted) {
      const name = pod.metadata?.name ?? '';
      const containers = (pod.spec?.containers ?? []).map(c => c.name);
      const container = containers.includes(ARGO_MAIN_CONTAINER)
        ? ARGO_MAIN_CONTAINER
        : containers[0];
      if (!container) continue;
      logs.push({
        pod: name,
        container,
        phase: pod.status?.phase,
        log: await this.readLog(this.argoNamespace, name, container, options),
      });
    }
    return { workflow, namespace: this.argoNamespace, pods: logs };
  }

  /** The log of the newest pod in `fs-<instanceId>`, container `challenge`. */
  async podLogs(
    instanceId: string,
    options: PodLogOptions = {},
  ): Promise<PodLogs> {
    const namespace = `fs-${checkInstanceId(instanceId)}`;
    const pods = await this.call(() =>
      this.core.listNamespacedPod({ namespace }),
    ).catch(e => {
      // A namespace that does not exist lists as empty on a real server;
      // both mean the instance has no pod.
      if (e instanceof NotFoundError) return { items: [] as V1Pod[] };
      throw e;
    });
    const withChallenge = pods.items.filter(p =>
      (p.spec?.containers ?? []).some(c => c.name === CHALLENGE_CONTAINER),
    );
    // The Job may have replaced a failed pod: the newest one is the live one.
    const pod = withChallenge.sort((a, b) => created(b) - created(a))[0];
    if (!pod)
      throw new NotFoundError(`no challenge pod in namespace ${namespace}`);
    const name = pod.metadata?.name ?? '';
    return {
      namespace,
      pod: name,
      container: CHALLENGE_CONTAINER,
      phase: pod.status?.phase,
      log: await this.readLog(namespace, name, CHALLENGE_CONTAINER, options),
    };
  }

  private readLog(
    namespace: string,
    name: string,
    container: string,
    options: PodLogOptions,
  ): Promise<string> {
    return this.call(async () =>
      String(
        await this.core.readNamespacedPodLog({
          namespace,
          name,
          container,
          tailLines: options.tailLines,
          sinceSeconds: options.sinceSeconds,
          limitBytes: LIMIT_BYTES,
        }),
      ),
    );
  }

  /** Kubernetes API errors as Backstage errors, with the API's message. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const { code, message } = apiMessage(e);
      if (code === 404) throw new NotFoundError(message);
      // 400 on a log read: the container is waiting to start, or the like.
      if (code === 400) throw new ConflictError(message);
      throw new ServiceUnavailableError(
        code
          ? `the Kubernetes API answered ${code}: ${message}`
          : `the Kubernetes API is unreachable: ${message}`,
      );
    }
  }
}
