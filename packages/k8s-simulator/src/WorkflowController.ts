import type { KubeSimulator } from './KubeSimulator';

const INSTANCE_LABELS = [
  'app.kubernetes.io/managed-by',
  'flagstage.io/instance',
  'flagstage.io/contest',
  'flagstage.io/team',
  'flagstage.io/challenge',
];

function parametersOf(workflow: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of workflow.spec?.arguments?.parameters ?? [])
    out[p.name] = String(p.value ?? '');
  return out;
}

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

  private startChallenge(workflow: any) {
    const p = parametersOf(workflow);
    const ns = p.namespace;
    const labels: Record<string, string> = {};
    for (const key of INSTANCE_LABELS) {
      const value = workflow.metadata.labels?.[key];
      if (value !== undefined) labels[key] = value;
    }
    labels['flagstage.io/expires-at'] = p['expires-at'];
    this.setPhase(workflow, 'Running', undefined, {
      ...this.node(workflow, 'create-namespace', 'Running'),
    });
    try {
      this.sim.create('namespaces', { metadata: { name: ns, labels } });
    } catch (e) {
      this.setPhase(
        workflow,
        'Failed',
        `create-namespace: ${(e as Error).message}`,
        {
          ...this.node(
            workflow,
            'create-namespace',
            'Failed',
            (e as Error).message,
          ),
        },
      );
      return;
    }
    const argo = this.sim.options.workflowNamespace;
    const flag = this.sim.get('secrets', argo, p['flag-secret']);
    if (flag)
      this.sim.create('secrets', {
        metadata: { name: 'flag', namespace: ns, labels },
        type: 'Opaque',
        data: flag.data,
        stringData: flag.stringData,
      });
    this.sim.create('networkpolicies', {
      metadata: { name: 'deny-all', namespace: ns, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.sim.create('services', {
      metadata: { name: 'challenge', namespace: ns, labels },
      spec: {
        selector: { 'flagstage.io/instance': labels['flagstage.io/instance'] },
        ports: [{ name: 'challenge', port: 3333, targetPort: Number(p.port) }],
      },
    });
    this.sim.create('jobs', {
      metadata: { name: 'challenge', namespace: ns, labels },
      spec: {
        activeDeadlineSeconds: Number(p['active-deadline-seconds']),
        backoffLimit: 0,
        template: { metadata: { labels }, spec: {} },
      },
      status: { active: 1 },
    });
    const pod = this.sim.create('pods', {
      metadata: { generateName: 'challenge-', namespace: ns, labels },
      spec: {
        containers: [{ name: 'challenge', image: p.image }],
        restartPolicy: 'Never',
      },
      status: { phase: 'Pending', conditions: [] },
    });
    this.setPhase(workflow, 'Succeeded', undefined, {
      ...this.node(workflow, 'create-namespace', 'Succeeded'),
      ...this.node(workflow, 'network-policy', 'Succeeded'),
      ...this.node(workflow, 'service', 'Succeeded'),
      ...this.node(workflow, 'job', 'Succeeded'),
    });
    this.runPod(workflow, ns, pod.metadata.name, p.image);
  }

  private runPod(workflow: any, ns: string, name: string, image: string) {
    const fault = this.sim.podFaultFor(workflow);
    const delay = this.sim.options.podReadyDelayMs;
    const container = (state: any, ready: boolean, restartCount = 0) => ({
      containerStatuses: [
        {
          name: 'challenge',
          image,
          ready,
          restartCount,
          started: ready,
          state,
        },
      ],
    });
    if (fault === 'stuckPending') return;
    if (fault === 'imagePullError') {
      this.later(delay / 2, () =>
        this.sim.patch('pods', ns, name, {
          status: container(
            {
              waiting: {
                reason: 'ErrImagePull',
                message: `failed to pull image "${image}": not found`,
              },
            },
            false,
          ),
        }),
      );
      this.later(delay, () =>
        this.sim.patch('pods', ns, name, {
          status: container(
            {
              waiting: {
                reason: 'ImagePullBackOff',
                message: `Back-off pulling image "${image}"`,
              },
            },
            false,
          ),
        }),
      );
      return;
    }
    this.later(delay / 2, () =>
      this.sim.patch('pods', ns, name, {
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          ...container(
            { running: { startedAt: new Date().toISOString() } },
            false,
          ),
        },
      }),
    );
    if (fault === 'crashLoop') {
      this.later(delay, () =>
        this.sim.patch('pods', ns, name, {
          status: container(
            {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 10s restarting failed container',
              },
            },
            false,
            3,
          ),
        }),
      );
      return;
    }
    this.later(delay, () =>
      this.sim.patch('pods', ns, name, {
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          ...container(
            { running: { startedAt: new Date().toISOString() } },
            true,
          ),
        },
      }),
    );
  }

  private stopChallenge(workflow: any) {
    const p = parametersOf(workflow);
    this.setPhase(
      workflow,
      'Running',
      undefined,
      this.node(workflow, 'delete-namespace', 'Running'),
    );
    this.sim.delete('namespaces', undefined, p.namespace);
    this.setPhase(
      workflow,
      'Succeeded',
      undefined,
      this.node(workflow, 'delete-namespace', 'Succeeded'),
    );
  }
}
