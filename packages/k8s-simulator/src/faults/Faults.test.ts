import type { CoreV1Api } from '@kubernetes/client-node';
import type { KubeSimulator } from '../KubeSimulator';
import {
  startSimulator,
  startWorkflow,
  until,
} from '../__testUtils__/simulatorTestUtils';

describe('KubeSimulator fault injection', () => {
  let sim: KubeSimulator;
  let core: CoreV1Api;
  beforeEach(async () => ({ sim, core } = await startSimulator()));
  afterEach(() => sim.close());

  it('injects image pull errors, crashes and stuck pods', async () => {
    sim.faults.imagePullError(wf => wf.metadata.name === 'start-pull');
    sim.faults.crash(wf => wf.metadata.name === 'start-crash');
    sim.faults.stuckPending(wf => wf.metadata.name === 'start-stuck');
    for (const id of ['pull', 'crash', 'stuck'])
      sim.create('workflows', {
        ...startWorkflow(id),
        metadata: { ...startWorkflow(id).metadata, namespace: 'argo' },
      });
    const waiting = (id: string) =>
      until(
        () => sim.list('pods', { namespace: `fs-${id}` })[0],
        p => !!p?.status?.containerStatuses?.[0]?.state?.waiting,
      ).then(p => p.status.containerStatuses[0]);
    const pull = await waiting('pull');
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(
      pull.state.waiting.reason,
    );
    expect(
      (
        await until(
          () => sim.list('pods', { namespace: 'fs-pull' })[0],
          p =>
            p.status.containerStatuses[0].state.waiting.reason ===
            'ImagePullBackOff',
        )
      ).status.phase,
    ).toBe('Pending');
    // The challenge Job's pod has restartPolicy Never: a crash ends it
    // Failed with the container's exit code, never CrashLoopBackOff.
    const crash = await until(
      () => sim.list('pods', { namespace: 'fs-crash' })[0],
      p => p?.status?.phase === 'Failed',
    );
    expect(crash.spec.restartPolicy).toBe('Never');
    expect(crash.status.reason).toBeUndefined();
    expect(crash.status.containerStatuses[0].state).toEqual({
      terminated: expect.objectContaining({ exitCode: 1, reason: 'Error' }),
    });
    await new Promise(r => setTimeout(r, 250));
    const stuck = sim.list('pods', { namespace: 'fs-stuck' })[0];
    expect(stuck.status.phase).toBe('Pending');
    expect(stuck.status.containerStatuses).toBeUndefined();
  });

  it("enforces the Job's activeDeadlineSeconds as the Job controller does", async () => {
    const wf = startWorkflow('brief');
    sim.faults.jobDeadline(300, w => w.metadata.name === 'start-brief');
    sim.create('workflows', {
      ...wf,
      metadata: { ...wf.metadata, namespace: 'argo' },
    });
    const running = await until(
      () => sim.list('pods', { namespace: 'fs-brief' })[0],
      p => p?.status?.phase === 'Running',
    );
    const job = await until(
      () => sim.get('jobs', 'fs-brief', 'challenge'),
      j => j?.status?.conditions?.some((c: any) => c.type === 'Failed'),
    );
    expect(job.status.conditions).toEqual([
      expect.objectContaining({
        type: 'FailureTarget',
        status: 'True',
        reason: 'DeadlineExceeded',
      }),
      expect.objectContaining({
        type: 'Failed',
        status: 'True',
        reason: 'DeadlineExceeded',
      }),
    ]);
    // The pod is deleted, not left Failed with reason DeadlineExceeded.
    expect(sim.get('pods', 'fs-brief', running.metadata.name)).toBeUndefined();
  });

  it('answers 500 at the configured rate and slows responses', async () => {
    sim.faults.apiErrors(1);
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 500 });
    sim.faults.apiErrors(0.5);
    const codes = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${sim.url}/api/v1/namespaces`).then(r => r.status),
      ),
    );
    // Both outcomes at a 0.5 rate (all 40 alike: p = 2^-39).
    expect(new Set(codes)).toEqual(new Set([200, 500]));
    sim.faults.clear();
    sim.faults.slowResponses(150);
    const t0 = Date.now();
    await core.listNamespace();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    sim.faults.clear();
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', status: 200 });
    expect(sim.requests.some(r => r.status === 500)).toBe(true);
  });
});
