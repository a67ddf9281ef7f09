import { podTimeline } from './podTimeline';

const last = (restartPolicy?: string) =>
  podTimeline('crash', 'registry.example/x:1', 100, restartPolicy)
    .at(-1)!
    .status() as any;

describe('podTimeline', () => {
  it('a crash under restartPolicy Never ends the pod Failed with the exit code', () => {
    const status = last('Never');
    expect(status.phase).toBe('Failed');
    expect(status.reason).toBeUndefined();
    expect(status.containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    });
  });

  it('a crash under restartPolicy Always is restarted into CrashLoopBackOff', () => {
    const status = last('Always');
    expect(status.phase).toBeUndefined();
    expect(status.containerStatuses[0]).toMatchObject({
      restartCount: 3,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
    });
  });
});
