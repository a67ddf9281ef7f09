import fs from 'node:fs';
import path from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import { writeKubeconfig } from '../kubeconfig';
import { requestServiceAccountToken } from '../serviceAccountToken';
import {
  COMPLETED_LABEL,
  readArgoPod,
  WORKFLOW_LABEL,
  type ArgoPodInfo,
} from './argoPod';
import { runStep, type StepOutcome } from './runStep';

export type ExecutorStandInOptions = {
  /** Admin access: lists pods, requests tokens, completes pods. */
  admin: KubeConfig;
  server: string;
  caCert: string;
  kubectl: string;
  /** Namespaces whose Argo pods are executed. */
  namespaces: string[];
  workDir: string;
  log?: (line: string) => void;
};

/** One step the stand-in ran, for tests and the log. */
export type ExecutedStep = {
  pod: string;
  workflow: string;
  nodeId: string;
  template?: string;
  serviceAccount: string;
  outcome: StepOutcome;
};

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * Plays Argo's executor (argoexec) for pods kwok reports Running: runs the
 * step with the pod's ServiceAccount token (TokenRequest, bound to the pod),
 * reports the WorkflowTaskResult with that token as the wait container does,
 * then ends the pod (status Succeeded/Failed, containers terminated with the
 * exit code) as the kubelet would.
 */
export class ExecutorStandIn {
  private readonly core: CoreV1Api;
  private readonly seen = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  readonly executed: ExecutedStep[] = [];

  constructor(private readonly options: ExecutorStandInOptions) {
    this.core = options.admin.makeApiClient(CoreV1Api);
  }

  start() {
    const tick = () => {
      this.running = this.poll()
        .catch(e => this.options.log?.(`executor stand-in: ${e?.message ?? e}`))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, 150);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async poll() {
    for (const namespace of this.options.namespaces) {
      const pods = await this.core.listNamespacedPod({
        namespace,
        labelSelector: WORKFLOW_LABEL,
      });
      const ready = pods.items.filter(
        p =>
          p.status?.phase === 'Running' &&
          !p.metadata?.deletionTimestamp &&
          !this.seen.has(p.metadata!.uid!),
      );
      for (const pod of ready) this.seen.add(pod.metadata!.uid!);
      await Promise.all(ready.map(pod => this.execute(pod)));
    }
  }

  private async execute(pod: V1Pod) {
    const info = readArgoPod(pod);
    if (!info) return;
    const workDir = fs.mkdtempSync(path.join(this.options.workDir, 'step-'));
    const kubeconfig = writeKubeconfig(path.join(workDir, 'kubeconfig'), {
      server: this.options.server,
      caCert: this.options.caCert,
      user: `system:serviceaccount:${info.namespace}:${info.serviceAccount}`,
      token: await this.podToken(info),
    });
    const sa = new KubeConfig();
    sa.loadFromFile(kubeconfig);
    const results = sa.makeApiClient(CustomObjectsApi);
    await this.reportTaskResult(results, info, false);
    const outcome = await runStep(info.template, {
      kubectl: this.options.kubectl,
      kubeconfig,
      workDir,
    });
    await this.reportTaskResult(results, info, true);
    await this.endPod(pod, outcome);
    this.executed.push({
      pod: info.name,
      workflow: info.workflow,
      nodeId: info.nodeId,
      template: info.template.name,
      serviceAccount: info.serviceAccount,
      outcome,
    });
    this.options.log?.(
      `executor stand-in: ${info.name} (${info.template.name}) as ${
        info.serviceAccount
      } → exit ${outcome.exitCode}${
        outcome.message ? `: ${outcome.message}` : ''
      }`,
    );
  }

  /** The token the kubelet would project into the pod (bound to it). */
  private podToken(info: ArgoPodInfo): Promise<string> {
    return requestServiceAccountToken(
      this.core,
      info.namespace,
      info.serviceAccount,
      { pod: { name: info.name, uid: info.uid } },
    );
  }

  /**
   * As the wait container: create the WorkflowTaskResult (outputs not yet
   * complete) when the step starts, mark it complete when it ends. With the
   * pod's own token, so the Role's create/patch on workflowtaskresults is
   * what lets it through.
   */
  private async reportTaskResult(
    api: CustomObjectsApi,
    info: ArgoPodInfo,
    completed: boolean,
  ) {
    const target = {
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: info.namespace,
      plural: 'workflowtaskresults',
    };
    if (!completed) {
      await api.createNamespacedCustomObject({
        ...target,
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'WorkflowTaskResult',
          metadata: {
            name: info.nodeId,
            labels: {
              [WORKFLOW_LABEL]: info.workflow,
              [COMPLETED_LABEL]: 'false',
            },
            ownerReferences: [
              {
                apiVersion: 'argoproj.io/v1alpha1',
                kind: 'Workflow',
                name: info.workflow,
                uid: info.workflowUid,
              },
            ],
          },
        },
      });
      return;
    }
    await api.patchNamespacedCustomObject(
      {
        ...target,
        name: info.nodeId,
        body: { metadata: { labels: { [COMPLETED_LABEL]: 'true' } } },
      },
      mergePatch,
    );
  }

  /** The kubelet's report of a pod whose containers have exited. */
  private async endPod(pod: V1Pod, outcome: StepOutcome) {
    const now = new Date().toISOString();
    const failed = outcome.exitCode !== 0;
    const containerStatuses = (pod.spec?.containers ?? []).map(c => {
      const main = c.name === 'main';
      const exitCode = main ? outcome.exitCode : 0;
      return {
        name: c.name,
        image: c.image!,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: {
          terminated: {
            exitCode,
            reason: exitCode ? 'Error' : 'Completed',
            // argoexec writes its error to the termination log.
            ...(main && outcome.message ? { message: outcome.message } : {}),
            startedAt: pod.status?.startTime ?? now,
            finishedAt: now,
          },
        },
      };
    });
    await this.core.patchNamespacedPodStatus(
      {
        name: pod.metadata!.name!,
        namespace: pod.metadata!.namespace!,
        body: {
          status: {
            phase: failed ? 'Failed' : 'Succeeded',
            containerStatuses,
            conditions: [
              { type: 'Initialized', status: 'True', lastTransitionTime: now },
              {
                type: 'Ready',
                status: 'False',
                reason: 'PodCompleted',
                lastTransitionTime: now,
              },
              {
                type: 'ContainersReady',
                status: 'False',
                reason: 'PodCompleted',
                lastTransitionTime: now,
              },
            ],
          },
        },
      },
      mergePatch,
    );
  }
}
