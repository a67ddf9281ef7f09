import type { PodFault } from '../faults/Faults';

/** One status change of the challenge pod: when, and the merge patch of its status. */
export type PodStep = { atMs: number; status: () => object };

const now = () => new Date().toISOString();

function container(
  image: string,
  state: object,
  ready: boolean,
  restartCount = 0,
) {
  return {
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
  };
}

const waiting = (reason: string, message: string) => ({
  waiting: { reason, message },
});

/**
 * A container that exited with code 1, as the kubelet reports it: under
 * `restartPolicy: Never` the pod ends phase Failed with no pod-level reason,
 * only the container's terminated state; under `Always` (or `OnFailure`) it
 * is restarted, with back-off, into CrashLoopBackOff.
 */
function crashed(image: string, restartPolicy: string | undefined) {
  if (restartPolicy !== 'Never')
    return container(
      image,
      waiting('CrashLoopBackOff', 'back-off 10s restarting failed container'),
      false,
      3,
    );
  const at = now();
  return {
    phase: 'Failed',
    conditions: [
      { type: 'Ready', status: 'False', reason: 'PodFailed' },
      { type: 'ContainersReady', status: 'False', reason: 'PodFailed' },
    ],
    ...container(
      image,
      {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: at,
          finishedAt: at,
        },
      },
      false,
    ),
  };
}

/**
 * What the kubelet would report for the challenge pod, as timed steps:
 * Pending → Running (not ready) at half of `readyDelayMs` → Ready at
 * `readyDelayMs`; or, with a fault, an image pull error, a crash (see
 * {@link crashed}), or nothing at all (stuck Pending).
 */
export function podTimeline(
  fault: PodFault | undefined,
  image: string,
  readyDelayMs: number,
  restartPolicy?: string,
): PodStep[] {
  const half = readyDelayMs / 2;
  if (fault === 'stuckPending') return [];
  if (fault === 'imagePullError')
    return [
      {
        atMs: half,
        status: () =>
          container(
            image,
            waiting(
              'ErrImagePull',
              `failed to pull image "${image}": not found`,
            ),
            false,
          ),
      },
      {
        atMs: readyDelayMs,
        status: () =>
          container(
            image,
            waiting('ImagePullBackOff', `Back-off pulling image "${image}"`),
            false,
          ),
      },
    ];
  // A made-up address in 10.244.0.0/16, as a pod network would assign.
  const podIP = `10.244.${Math.floor(Math.random() * 250)}.${
    2 + Math.floor(Math.random() * 250)
  }`;
  const conditions = (status: 'True' | 'False') => [
    { type: 'Ready', status },
    { type: 'ContainersReady', status },
  ];
  const running: PodStep = {
    atMs: half,
    status: () => ({
      phase: 'Running',
      podIP,
      startTime: now(),
      conditions: conditions('False'),
      ...container(image, { running: { startedAt: now() } }, false),
    }),
  };
  if (fault === 'crash')
    return [
      running,
      { atMs: readyDelayMs, status: () => crashed(image, restartPolicy) },
    ];
  return [
    running,
    {
      atMs: readyDelayMs,
      status: () => ({
        phase: 'Running',
        conditions: conditions('True'),
        ...container(image, { running: { startedAt: now() } }, true),
      }),
    },
  ];
}
