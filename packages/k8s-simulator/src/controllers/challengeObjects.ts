/**
 * The objects argo-templates/start-challenge.yaml creates in an instance's
 * namespace, built from the workflow's parameters. Pure: the controller
 * creates them in the store.
 */

type Labels = Record<string, string>;

/** Label → the start-challenge parameter it is set from (as in argo-templates/start-challenge.yaml). */
const LABEL_PARAMETERS: Record<string, string> = {
  'flagstage.io/instance': 'instance-id',
  'flagstage.io/contest': 'contest-id',
  'flagstage.io/team': 'team-id',
  'flagstage.io/challenge': 'challenge',
};

/** A workflow's `arguments.parameters` as a name → value map. */
export function parametersOf(workflow: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of workflow.spec?.arguments?.parameters ?? [])
    out[p.name] = String(p.value ?? '');
  return out;
}

/** The Flagstage labels: from the parameters, else from the workflow's own labels. */
export function challengeLabels(
  workflow: any,
  p: Record<string, string>,
): Labels {
  const labels: Labels = { 'app.kubernetes.io/managed-by': 'flagstage' };
  for (const [key, param] of Object.entries(LABEL_PARAMETERS)) {
    const value = p[param] || workflow.metadata.labels?.[key];
    if (value !== undefined) labels[key] = value;
  }
  return labels;
}

/** `deny-all`, `allow-gateway` and `allow-dns`, as the template's network-policy task. */
export function networkPolicies(
  ns: string,
  labels: Labels,
  gatewayNamespace: string,
) {
  const policy = (name: string, spec: any) => ({
    metadata: { name, namespace: ns, labels },
    spec: { podSelector: {}, ...spec },
  });
  const namespaceNamed = (name: string) => ({
    namespaceSelector: {
      matchLabels: { 'kubernetes.io/metadata.name': name },
    },
  });
  return [
    policy('deny-all', { policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-gateway', {
      policyTypes: ['Ingress'],
      ingress: [{ from: [namespaceNamed(gatewayNamespace)] }],
    }),
    policy('allow-dns', {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [namespaceNamed('kube-system')],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
  ];
}

/** Service `challenge`: port 3333 → the challenge's port. */
export function challengeService(ns: string, labels: Labels, port: number) {
  return {
    metadata: { name: 'challenge', namespace: ns, labels },
    spec: {
      selector: { 'flagstage.io/instance': labels['flagstage.io/instance'] },
      ports: [{ name: 'challenge', port: 3333, targetPort: port }],
    },
  };
}

/** The pod spec of the Job: container `challenge`, FLAG from the Secret. */
export function challengePodSpec(p: Record<string, string>, port: number) {
  return {
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
}

/** Job `challenge`, already active. */
export function challengeJob(
  ns: string,
  labels: Labels,
  p: Record<string, string>,
  podSpec: object,
) {
  return {
    metadata: { name: 'challenge', namespace: ns, labels },
    spec: {
      // Enforced by WorkflowController.jobDeadline, as the Job controller does.
      activeDeadlineSeconds: Number(p['active-deadline-seconds']) || undefined,
      backoffLimit: 0,
      template: { metadata: { labels }, spec: podSpec },
    },
    status: { active: 1, startTime: new Date().toISOString() },
  };
}

/** The Job controller's pod: the Job's labels plus the ones Kubernetes adds. */
export function jobPod(ns: string, labels: Labels, job: any, podSpec: object) {
  return {
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
  };
}
