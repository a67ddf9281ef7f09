import type { V1Job, V1Pod } from '@kubernetes/client-node';

/** What a pod's status says about its instance. */
export type PodVerdict =
  | { kind: 'ready' }
  | { kind: 'pending' }
  | { kind: 'failed'; reason: string };

/**
 * Container waiting reasons that will not fix themselves within a contest
 * instance's patience: a bad image, a crash loop, a broken container spec.
 * (Kubernetes keeps retrying them with back-off; we fail the instance and
 * tell the team why instead.)
 */
const FATAL_WAITING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

const READABLE: Record<string, string> = {
  ErrImagePull: 'the image could not be pulled',
  ImagePullBackOff: 'the image could not be pulled',
  InvalidImageName: 'the image name is invalid',
  ErrImageNeverPull: 'the image is not on the node',
  CrashLoopBackOff: 'the challenge keeps crashing',
  CreateContainerConfigError: 'the container configuration is invalid',
  CreateContainerError: 'the container could not be created',
  RunContainerError: 'the container could not be started',
};

/**
 * Why a Failed pod without a pod-level reason failed: with restartPolicy
 * Never (the challenge Job) a crashing container is not restarted into
 * CrashLoopBackOff; the kubelet ends the pod Failed and only the container's
 * terminated state says what happened.
 */
function exitedWith(status: NonNullable<V1Pod['status']>): string {
  const terminated = (status.containerStatuses ?? [])
    .map(c => c.state?.terminated)
    .find(t => t && t.exitCode !== 0);
  if (!terminated) return 'the pod failed';
  const detail =
    terminated.reason && terminated.reason !== 'Error'
      ? ` (${terminated.reason})`
      : '';
  return `the challenge exited with code ${terminated.exitCode}${detail}`;
}

/** Why an instance ended at its deadline (the Job's activeDeadlineSeconds). */
export const DEADLINE_REASON = 'the instance reached its deadline';

/**
 * Whether the Job ended at its activeDeadlineSeconds. The Job controller
 * deletes the running pod and marks the Job (FailureTarget, then Failed,
 * reason DeadlineExceeded); the pod itself never says so. FailureTarget
 * counts too: it is set before the pod is deleted, Failed only after.
 */
export function jobDeadlineExceeded(job: V1Job): boolean {
  return (job.status?.conditions ?? []).some(
    c =>
      (c.type === 'Failed' || c.type === 'FailureTarget') &&
      c.status === 'True' &&
      c.reason === 'DeadlineExceeded',
  );
}

/**
 * Judges a challenge pod: `ready` once its Ready condition is True,
 * `failed` with a reason on fatal waiting states or a terminal phase (a
 * pod-level activeDeadlineSeconds ends as phase Failed, reason
 * DeadlineExceeded; the Job's is {@link jobDeadlineExceeded}), else `pending`. Pure, so the listener and the reconciler agree.
 */
export function podVerdict(pod: V1Pod): PodVerdict {
  const status = pod.status ?? {};
  if (status.phase === 'Failed') {
    const why =
      status.reason === 'DeadlineExceeded'
        ? DEADLINE_REASON
        : status.message ?? status.reason ?? exitedWith(status);
    return { kind: 'failed', reason: why };
  }
  if (status.phase === 'Succeeded')
    return { kind: 'failed', reason: 'the challenge process exited' };
  for (const c of [
    ...(status.initContainerStatuses ?? []),
    ...(status.containerStatuses ?? []),
  ]) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && FATAL_WAITING.has(waiting.reason)) {
      const detail = waiting.message ? `: ${waiting.message}` : '';
      return {
        kind: 'failed',
        reason: `${READABLE[waiting.reason]} (${
          waiting.reason
        })${detail}`.slice(0, 480),
      };
    }
  }
  const ready = status.conditions?.find(c => c.type === 'Ready');
  if (status.phase === 'Running' && ready?.status === 'True')
    return { kind: 'ready' };
  return { kind: 'pending' };
}
