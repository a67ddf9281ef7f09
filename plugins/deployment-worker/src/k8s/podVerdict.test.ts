import type { V1Pod } from '@kubernetes/client-node';
import { jobDeadlineExceeded, podVerdict } from './podVerdict';

const pod = (status: V1Pod['status']): V1Pod => ({ status });
const withContainer = (phase: string, state: object) =>
  pod({
    phase,
    containerStatuses: [
      {
        name: 'challenge',
        image: 'x',
        imageID: '',
        ready: false,
        restartCount: 0,
        state,
      },
    ],
  });
const waiting = (reason: string, message?: string) =>
  withContainer('Pending', { waiting: { reason, message } });

describe('podVerdict', () => {
  it.each([
    ['no status yet', pod(undefined), 'pending'],
    ['Pending, scheduling', pod({ phase: 'Pending' }), 'pending'],
    [
      'Running but not Ready',
      pod({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
      }),
      'pending',
    ],
    [
      'Running and Ready',
      pod({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
      }),
      'ready',
    ],
    ['ContainerCreating', waiting('ContainerCreating'), 'pending'],
    ['ErrImagePull', waiting('ErrImagePull', 'not found'), 'failed'],
    ['ImagePullBackOff', waiting('ImagePullBackOff'), 'failed'],
    ['CrashLoopBackOff', waiting('CrashLoopBackOff'), 'failed'],
    [
      'CreateContainerConfigError',
      waiting('CreateContainerConfigError'),
      'failed',
    ],
    [
      'deadline',
      pod({
        phase: 'Failed',
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      }),
      'failed',
    ],
    ['exited', pod({ phase: 'Succeeded' }), 'failed'],
  ])('%s → %s', (_name, p, kind) => {
    expect(podVerdict(p).kind).toBe(kind);
  });

  it('says why, in words a team understands, with the detail', () => {
    expect(podVerdict(waiting('ErrImagePull', 'manifest unknown'))).toEqual({
      kind: 'failed',
      reason: 'the image could not be pulled (ErrImagePull): manifest unknown',
    });
    expect(
      podVerdict(pod({ phase: 'Failed', reason: 'DeadlineExceeded' })),
    ).toEqual({ kind: 'failed', reason: 'the instance reached its deadline' });
    // restartPolicy Never: a crash ends the pod Failed, no pod-level reason
    // (found on the real control plane; no CrashLoopBackOff there).
    const exited = (exitCode: number, reason: string) =>
      withContainer('Failed', { terminated: { exitCode, reason } });
    expect(podVerdict(exited(1, 'Error'))).toEqual({
      kind: 'failed',
      reason: 'the challenge exited with code 1',
    });
    expect(podVerdict(exited(137, 'OOMKilled'))).toEqual({
      kind: 'failed',
      reason: 'the challenge exited with code 137 (OOMKilled)',
    });
    expect(podVerdict(pod({ phase: 'Failed' }))).toEqual({
      kind: 'failed',
      reason: 'the pod failed',
    });
    const long = podVerdict(waiting('ErrImagePull', 'x'.repeat(2000)));
    expect(long.kind === 'failed' && long.reason.length).toBeLessThanOrEqual(
      480,
    );
  });

  it('tells a Job ended by its activeDeadlineSeconds (the pod is deleted, only the Job says so)', () => {
    const job = (type: string, reason: string, status = 'True') => ({
      status: { conditions: [{ type, status, reason }] },
    });
    expect(jobDeadlineExceeded(job('Failed', 'DeadlineExceeded'))).toBe(true);
    // Set before the pod is deleted; Failed follows once it is gone.
    expect(jobDeadlineExceeded(job('FailureTarget', 'DeadlineExceeded'))).toBe(
      true,
    );
    expect(jobDeadlineExceeded(job('Failed', 'BackoffLimitExceeded'))).toBe(
      false,
    );
    expect(
      jobDeadlineExceeded(job('Failed', 'DeadlineExceeded', 'False')),
    ).toBe(false);
    expect(jobDeadlineExceeded({ status: { active: 1 } })).toBe(false);
  });
});
