import { stringify } from 'yaml';

/**
 * Images the fake kubelet (kwok) treats as faults, as a real kubelet would:
 * `pullError` stays Pending with ErrImagePull, `crash` starts and exits 1 (a
 * pod with restartPolicy Never then ends phase Failed), `pending` never gets
 * past ContainerCreating. Every other image becomes Running and Ready.
 */
export type FaultImages = {
  pullError?: string[];
  crash?: string[];
  pending?: string[];
};

const NOT_DELETED = {
  key: '.metadata.deletionTimestamp',
  operator: 'DoesNotExist',
};
const IMAGE = '.spec.containers.[0].image';
const phase = (...values: string[]) => ({
  key: '.status.phase',
  operator: 'In',
  values,
});
const waitingReason = (...values: string[]) => ({
  key: '.status.containerStatuses.[0].state.waiting.reason',
  operator: 'In',
  values,
});
const image = (operator: 'In' | 'NotIn', values: string[]) => ({
  key: IMAGE,
  operator,
  // kwok needs a non-empty list; a name no image has stands for "none".
  values: values.length ? values : ['flagstage.invalid/none'],
});

function stage(name: string, matchExpressions: object[], next: object) {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: { matchExpressions },
      delay: { durationMilliseconds: 50 },
      next,
    },
  };
}

const containers = (state: string, ready: boolean) => `
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: ${ready}
  restartCount: 0
  started: ${ready}
  state:
${state}
{{ end }}`;

const conditions = (ready: boolean, reason = '') => `
conditions:
- { type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }} }
- { type: Ready, status: "${
  ready ? 'True' : 'False'
}", reason: "${reason}", lastTransitionTime: {{ $now | Quote }} }
- { type: ContainersReady, status: "${
  ready ? 'True' : 'False'
}", reason: "${reason}", lastTransitionTime: {{ $now | Quote }} }`;

/** The pod stages: what a kubelet does to a scheduled pod, minus running it. */
export function podStagesYaml(faults: FaultImages): string {
  const faulty = [
    ...(faults.pullError ?? []),
    ...(faults.crash ?? []),
    ...(faults.pending ?? []),
  ];
  const now = '{{ $now := Now }}';
  const stages = [
    // Scheduled → Pending, ContainerCreating, an IP; init containers (Argo's
    // `init`) count as completed at once.
    stage(
      'pod-create',
      [NOT_DELETED, { key: '.status.podIP', operator: 'DoesNotExist' }],
      {
        statusTemplate: `${now}${conditions(false, 'ContainersNotReady')}
{{ if .spec.initContainers }}
initContainerStatuses:
{{ range .spec.initContainers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: true
  restartCount: 0
  state:
    terminated: { exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }} }
{{ end }}
{{ end }}${containers('    waiting: { reason: ContainerCreating }', false)}
hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
phase: Pending
startTime: {{ $now | Quote }}`,
      },
    ),
    stage(
      'pod-ready',
      [
        NOT_DELETED,
        phase('Pending'),
        waitingReason('ContainerCreating'),
        image('NotIn', faulty),
      ],
      {
        event: {
          type: 'Normal',
          reason: 'Started',
          message: 'Started container',
        },
        statusTemplate: `${now}${conditions(true)}${containers(
          '    running: { startedAt: {{ $now | Quote }} }',
          true,
        )}
phase: Running`,
      },
    ),
    stage(
      'pod-image-pull-error',
      [
        NOT_DELETED,
        phase('Pending'),
        waitingReason('ContainerCreating'),
        image('In', faults.pullError ?? []),
      ],
      {
        event: {
          type: 'Warning',
          reason: 'Failed',
          message: 'Failed to pull image: not found',
        },
        statusTemplate: `${now}${conditions(
          false,
          'ContainersNotReady',
        )}${containers(
          '    waiting: { reason: ErrImagePull, message: "failed to pull and unpack image {{ .image }}: not found" }',
          false,
        )}
phase: Pending`,
      },
    ),
    // restartPolicy Never (the challenge Job): the container exits 1 and the
    // pod ends Failed, as a kubelet reports it (no pod-level reason).
    stage(
      'pod-crash',
      [
        NOT_DELETED,
        phase('Pending'),
        waitingReason('ContainerCreating'),
        image('In', faults.crash ?? []),
      ],
      {
        event: {
          type: 'Warning',
          reason: 'BackOff',
          message: 'container exited with code 1',
        },
        statusTemplate: `${now}${conditions(false, 'PodFailed')}${containers(
          '    terminated: { exitCode: 1, reason: Error, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }} }',
          false,
        )}
phase: Failed`,
      },
    ),
    // A deleted pod goes away once its finalizers are gone (the kubelet's part
    // of graceful deletion).
    stage(
      'pod-delete',
      [
        { key: '.metadata.deletionTimestamp', operator: 'Exists' },
        { key: '.metadata.finalizers', operator: 'DoesNotExist' },
      ],
      { delete: true },
    ),
  ];
  return stages.map(s => stringify(s)).join('---\n');
}
