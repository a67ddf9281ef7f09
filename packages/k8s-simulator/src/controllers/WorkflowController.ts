import type { KubeSimulator } from '../KubeSimulator';
import {
  challengeJob,
  challengeLabels,
  challengePodSpec,
  challengeService,
  jobPod,
  networkPolicies,
  parametersOf,
} from './challengeObjects';
import { podTimeline } from './podTimeline';

/**
 * The simulated Argo controller (and the Kubernetes controllers behind it)
 * for Flagstage's templates: `start-challenge` creates what the real
 * template creates and moves the pod to Ready; `stop-challenge` deletes the
 * namespace. Any other template ends in phase Error, as Argo does when the
 * WorkflowTemplate is missing.
 */
export class WorkflowController {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly sim: KubeSimulator) {}

  stop() {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.stopped) return;
      try {
        fn();
      } catch {
        // The object went away meanwhile (e.g. the namespace was deleted).
      }
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  onCreated(workflow: any) {
    if (workflow.metadata.namespace !== this.sim.options.workflowNamespace)
      return;
    const template = workflow.spec?.workflowTemplateRef?.name;
    this.later(5, () => {
      if (template === 'start-challenge') this.startChallenge(workflow);
      else if (template === 'stop-challenge') this.stopChallenge(workflow);
      else if (template === 'build-challenge') this.buildChallenge(workflow);
      else
        this.setPhase(
          workflow,
          'Error',
          `WorkflowTemplate.argoproj.io "${template}" not found`,
        );
    });
  }

  private node(workflow: any, name: string, phase: string, message?: string) {
    const now = new Date().toISOString();
    return {
      [`${workflow.metadata.name}-${name}`]: {
        id: `${workflow.metadata.name}-${name}`,
        name: `${workflow.metadata.name}.${name}`,
        displayName: name,
        type: 'Pod',
        phase,
        message,
        startedAt: now,
        finishedAt: phase === 'Running' ? undefined : now,
      },
    };
  }

  private setPhase(
    workflow: any,
    phase: string,
    message?: string,
    nodes: Record<string, any> = {},
  ) {
    const now = new Date().toISOString();
    this.sim.patch(
      'workflows',
      workflow.metadata.namespace,
      workflow.metadata.name,
      {
        metadata: {
          labels: {
            'workflows.argoproj.io/phase': phase,
            ...(['Succeeded', 'Failed', 'Error'].includes(phase)
              ? { 'workflows.argoproj.io/completed': 'true' }
              : {}),
          },
        },
        status: {
          phase,
          message: message ?? null,
          startedAt: workflow.metadata.creationTimestamp,
          finishedAt: phase === 'Running' ? null : now,
          nodes,
        },
      },
    );
  }

  /** The workflow in `phase` with one node, `nodeName`, in the same phase. */
  private setStep(workflow: any, phase: string, nodeName: string) {
    this.setPhase(
      workflow,
      phase,
      undefined,
      this.node(workflow, nodeName, phase),
    );
  }

  /**
   * What argo-templates/start-challenge.yaml does, collapsed into one step:
   * the namespace (labels from the parameters, falling back to the
   * workflow's own labels), the copied flag Secret, the three network
   * policies, the Service, the Job and the Job's pod. The DAG task names
   * become the status nodes.
   */
  private startChallenge(workflow: any) {
    const p = parametersOf(workflow);
    const ns = p.namespace;
    const labels = challengeLabels(workflow, p);
    this.setStep(workflow, 'Running', 'namespace');
    try {
      this.sim.create('namespaces', {
        metadata: {
          name: ns,
          labels: { ...labels, 'flagstage.io/expires-at': p['expires-at'] },
        },
      });
    } catch (e) {
      // e.g. the namespace parameter is missing or the namespace exists.
      this.setPhase(
        workflow,
        'Failed',
        `namespace: ${(e as Error).message}`,
        this.node(workflow, 'namespace', 'Failed', (e as Error).message),
      );
      return;
    }
    const argo = this.sim.options.workflowNamespace;
    const flag = p['flag-secret']
      ? this.sim.get('secrets', argo, p['flag-secret'])
      : undefined;
    if (flag)
      this.sim.create('secrets', {
        metadata: { name: 'flag', namespace: ns, labels },
        type: 'Opaque',
        data: flag.data,
        stringData: flag.stringData,
      });
    const gatewayNamespace = p['gateway-namespace'] || 'flagstage-gateway';
    for (const policy of networkPolicies(ns, labels, gatewayNamespace))
      this.sim.create('networkpolicies', policy);
    const port = Number(p.port) || 80;
    this.sim.create('services', challengeService(ns, labels, port));
    const podSpec = challengePodSpec(p, port);
    const job = this.sim.create('jobs', challengeJob(ns, labels, p, podSpec));
    const pod = this.sim.create('pods', jobPod(ns, labels, job, podSpec));
    const jobNode = p.gvisor === 'true' ? 'job-gvisor' : 'job-runc';
    const succeed = () =>
      this.setPhase(workflow, 'Succeeded', undefined, {
        ...this.node(workflow, 'namespace', 'Succeeded'),
        ...this.node(workflow, 'secrets', 'Succeeded'),
        ...this.node(workflow, 'network-policy', 'Succeeded'),
        ...this.node(workflow, 'service', 'Succeeded'),
        ...this.node(workflow, jobNode, 'Succeeded'),
      });
    if (this.sim.options.workflowDurationMs > 0)
      this.later(this.sim.options.workflowDurationMs, succeed);
    else succeed();
    this.runPod(workflow, ns, pod.metadata.name, p.image);
    const deadline = job.spec.activeDeadlineSeconds;
    if (deadline)
      this.later(this.sim.jobDeadlineMs(workflow, deadline), () =>
        this.jobDeadline(ns, pod.metadata.name),
      );
  }

  private runPod(workflow: any, ns: string, name: string, image: string) {
    const steps = podTimeline(
      this.sim.podFaultFor(workflow),
      image,
      this.sim.options.podReadyDelayMs,
      this.sim.get('pods', ns, name)?.spec?.restartPolicy,
    );
    for (const step of steps)
      this.later(step.atMs, () =>
        this.sim.patch('pods', ns, name, { status: step.status() }),
      );
  }

  /**
   * The Job controller at the Job's activeDeadlineSeconds, as Kubernetes
   * 1.34 does it: condition FailureTarget, the running pod deleted (never
   * left phase Failed with reason DeadlineExceeded), then condition Failed,
   * both with reason DeadlineExceeded. A pod that already ended is kept.
   */
  private jobDeadline(ns: string, podName: string) {
    const job = this.sim.get('jobs', ns, 'challenge');
    if (!job || job.status?.conditions?.length) return;
    const condition = (type: string) => ({
      type,
      status: 'True',
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
      lastTransitionTime: new Date().toISOString(),
    });
    const target = condition('FailureTarget');
    this.sim.patch('jobs', ns, 'challenge', {
      status: { conditions: [target] },
    });
    const phase = this.sim.get('pods', ns, podName)?.status?.phase;
    if (phase && phase !== 'Succeeded' && phase !== 'Failed')
      this.sim.delete('pods', ns, podName);
    this.later(5, () =>
      this.sim.patch('jobs', ns, 'challenge', {
        status: {
          active: 0,
          failed: 1,
          conditions: [target, condition('Failed')],
        },
      }),
    );
  }

  /**
   * build-challenge: "builds" for workflowDurationMs (no image is built),
   * then runs the exit handler as the template does: POSTs the workflow's
   * status to `callback-url` with the token from the Secret named by
   * `callback-token-secret`.
   */
  private buildChallenge(workflow: any) {
    const p = parametersOf(workflow);
    this.setStep(workflow, 'Running', 'kaniko');
    this.later(Math.max(5, this.sim.options.workflowDurationMs), () => {
      const failed = this.sim.buildFails(workflow);
      const phase = failed ? 'Failed' : 'Succeeded';
      this.reportBuild(workflow, p, phase).then(result => {
        if (this.stopped) return;
        try {
          this.setPhase(workflow, phase, failed ? 'kaniko failed' : undefined, {
            ...this.node(workflow, 'kaniko', phase),
            ...this.node(
              workflow,
              'onExit',
              result.startsWith('Succeeded') ? 'Succeeded' : 'Failed',
              result,
            ),
          });
        } catch {
          // deleted meanwhile
        }
      });
    });
  }

  /** The build template's exit handler: the callback, and how it went. */
  private async reportBuild(
    workflow: any,
    p: Record<string, string>,
    phase: string,
  ): Promise<string> {
    const secret = this.sim.get(
      'secrets',
      this.sim.options.workflowNamespace,
      p['callback-token-secret'],
    );
    const token =
      secret?.stringData?.TOKEN ??
      (secret?.data?.TOKEN
        ? Buffer.from(secret.data.TOKEN, 'base64').toString('utf8')
        : '');
    return fetch(p['callback-url'], {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        buildId: p['build-id'],
        workflow: workflow.metadata.name,
        status: phase,
        image: `${p.registry}/${p.challenge}:${p.tag}`,
      }),
    }).then(
      r => (r.ok ? 'Succeeded' : `Failed (callback answered ${r.status})`),
      e => `Failed (callback unreachable: ${e.message})`,
    );
  }

  private stopChallenge(workflow: any) {
    const p = parametersOf(workflow);
    this.setStep(workflow, 'Running', 'delete-namespace');
    this.sim.delete('namespaces', undefined, p.namespace);
    this.setStep(workflow, 'Succeeded', 'delete-namespace');
  }
}
