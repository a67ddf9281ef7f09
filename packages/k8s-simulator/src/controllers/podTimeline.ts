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
 * What the kubelet would report for the challenge pod, as timed steps:
 * Pending → Running (not ready) at half of `readyDelayMs` → Ready at
 * `readyDelayMs`; or, with a fault, an image pull error, a crash loop, or
 * nothing at all (stuck Pending).
 */
export function podTimeline(
  fault: PodFault | undefined,
  image: string,
  readyDelayMs: number,
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
  if (fault === 'crashLoop')
    return [
      running,
      {
        atMs: readyDelayMs,
        status: () =>
          container(
            image,
            waiting(
              'CrashLoopBackOff',
              'back-off 10s restarting failed container',
            ),
            false,
            3,
          ),
      },
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
