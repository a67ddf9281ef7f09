import type { KubeSimulator } from './KubeSimulator';

/** Label → the start-challenge parameter it is set from (as in argo-templates/start-challenge.yaml). */
const LABEL_PARAMETERS: Record<string, string> = {
  'flagstage.io/instance': 'instance-id',
  'flagstage.io/contest': 'contest-id',
  'flagstage.io/team': 'team-id',
  'flagstage.io/challenge': 'challenge',
};

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
    const labels: Record<string, string> = {
      'app.kubernetes.io/managed-by': 'flagstage',
    };
    for (const [key, param] of Object.entries(LABEL_PARAMETERS)) {
      const value = p[param] || workflow.metadata.labels?.[key];
      if (value !== undefined) labels[key] = value;
    }
    this.setPhase(workflow, 'Running', undefined, {
      ...this.node(workflow, 'namespace', 'Running'),
    });
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
    const policy = (name: string, spec: any) =>
      this.sim.create('networkpolicies', {
        metadata: { name, namespace: ns, labels },
        spec: { podSelector: {}, ...spec },
      });
    policy('deny-all', { policyTypes: ['Ingress', 'Egress'] });
    policy('allow-gateway', {
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: {
                  'kubernetes.io/metadata.name':
                    p['gateway-namespace'] || 'flagstage-gateway',
                },
              },
            },
          ],
        },
      ],
    });
    policy('allow-dns', {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
              },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
    const port = Number(p.port) || 80;
    this.sim.create('services', {
      metadata: { name: 'challenge', namespace: ns, labels },
      spec: {
        selector: { 'flagstage.io/instance': labels['flagstage.io/instance'] },
        ports: [{ name: 'challenge', port: 3333, targetPort: port }],
      },
    });
    const podSpec = {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      ...(p.gvisor === 'true' ? { runtimeClassName: 'gvisor' } : {}),
      containers: [
        {
          name: 'challenge',
          image: p.image,
          ports: [{ containerPort: port }],
          env: [
            {
              name: 'FLAG',
              valueFrom: {
                secretKeyRef: { name: 'flag', key: 'FLAG', optional: true },
              },
            },
            { name: 'PORT', value: String(port) },
          ],
          resources: {
            limits: { cpu: p.cpu || '500m', memory: p.memory || '256Mi' },
          },
        },
      ],
    };
    const job = this.sim.create('jobs', {
      metadata: { name: 'challenge', namespace: ns, labels },
      spec: {
        // Kept for inspection; not enforced (the worker handles deadlines).
        activeDeadlineSeconds:
          Number(p['active-deadline-seconds']) || undefined,
        backoffLimit: 0,
        template: { metadata: { labels }, spec: podSpec },
      },
      status: { active: 1, startTime: new Date().toISOString() },
    });
    // The Job controller's pod: the Job's labels plus the ones Kubernetes adds.
    const pod = this.sim.create('pods', {
      metadata: {
        generateName: 'challenge-',
        namespace: ns,
        labels: {
          ...labels,
          'job-name': 'challenge',
          'batch.kubernetes.io/job-name': 'challenge',
          'controller-uid': job.metadata.uid,
        },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: 'challenge',
            uid: job.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: podSpec,
      status: { phase: 'Pending', conditions: [], qosClass: 'Burstable' },
    });
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
    // A made-up address in 10.244.0.0/16, as a pod network would assign.
    const podIP = `10.244.${Math.floor(Math.random() * 250)}.${
      2 + Math.floor(Math.random() * 250)
    }`;
    this.later(delay / 2, () =>
      this.sim.patch('pods', ns, name, {
        status: {
          phase: 'Running',
          podIP,
          startTime: new Date().toISOString(),
          conditions: [
            { type: 'Ready', status: 'False' },
            { type: 'ContainersReady', status: 'False' },
          ],
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
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'ContainersReady', status: 'True' },
          ],
          ...container(
            { running: { startedAt: new Date().toISOString() } },
            true,
          ),
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
    this.setPhase(
      workflow,
      'Running',
      undefined,
      this.node(workflow, 'kaniko', 'Running'),
    );
    this.later(Math.max(5, this.sim.options.workflowDurationMs), () => {
      const failed = this.sim.buildFails(workflow);
      const phase = failed ? 'Failed' : 'Succeeded';
      const image = `${p.registry}/${p.challenge}:${p.tag}`;
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
      const report = () =>
        fetch(p['callback-url'], {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            buildId: p['build-id'],
            workflow: workflow.metadata.name,
            status: phase,
            image,
          }),
        }).then(
          r => (r.ok ? 'Succeeded' : `Failed (callback answered ${r.status})`),
          e => `Failed (callback unreachable: ${e.message})`,
        );
      report().then(result => {
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
