import { mockServices } from '@backstage/backend-test-utils';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import type { RuntimeStartRequest } from '@flagstage/plugin-deployment-common';
import { KubernetesDriver } from './KubernetesDriver';

const request = (id: string): RuntimeStartRequest => ({
  instanceId: id,
  contestId: 'c1',
  teamId: `team-${id}`,
  challengeRef: 'challenge:default/web',
  challengeName: 'web',
  runtime: { protocol: 'http', port: 8080, image: 'registry.example/web:1' },
  env: { FLAG: `flagstage{${id}}` },
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
});

const startWorkflows = (sim: KubeSimulator) =>
  sim
    .list('workflows', { namespace: 'argo' })
    .filter(w => w.spec.workflowTemplateRef.name === 'start-challenge');

describe('KubernetesDriver on the simulator', () => {
  let sim: KubeSimulator;
  const drivers: KubernetesDriver[] = [];
  const driver = async (
    options: Partial<ConstructorParameters<typeof KubernetesDriver>[0]> = {},
  ) => {
    const d = new KubernetesDriver({
      kubeConfig: sim.kubeConfig(),
      logger: mockServices.logger.mock(),
      ...options,
    });
    await d.connect();
    drivers.push(d);
    return d;
  };

  beforeEach(async () => {
    sim = await KubeSimulator.start({ podReadyDelayMs: 50 });
  });
  afterEach(async () => {
    for (const d of drivers.splice(0)) await d.disconnect();
    await sim.close();
  });

  it('a worker restarted mid-burst redelivers every job and creates no second workflow', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `i${i}`);
    const first = await driver({ maxRunningWorkflows: 100 });
    // The first worker gets half the burst through, then "crashes".
    await Promise.all(ids.slice(0, 20).map(id => first.start(request(id))));
    await first.disconnect();
    // The broker redelivers everything unacked to a new worker: all 40.
    const second = await driver({ maxRunningWorkflows: 100 });
    const endpoints = await Promise.all(
      ids.map(id => second.start(request(id))),
    );
    expect(endpoints[0]).toEqual({
      target: 'challenge.fs-i0.svc.cluster.local:3333',
      ready: false,
    });
    // And a duplicate delivery racing itself on the same worker.
    await Promise.all([
      second.start(request('i39')),
      second.start(request('i39')),
    ]);
    const names = startWorkflows(sim).map(w => w.metadata.name);
    expect(names).toHaveLength(40);
    expect(new Set(names).size).toBe(40);
    const creates = sim.requests.filter(
      r => r.method === 'POST' && r.path.includes('/workflows'),
    );
    // Creates that met an existing workflow answered 409 and were not errors.
    expect(creates.filter(r => r.status === 201)).toHaveLength(40);
  });

  it('never has more start workflows in flight than its budget', async () => {
    // Workflows that stay Running for 150 ms, as Argo's take seconds.
    await sim.close();
    sim = await KubeSimulator.start({
      podReadyDelayMs: 50,
      workflowDurationMs: 150,
    });
    const d = await driver({ maxRunningWorkflows: 5 });
    let peak = 0;
    const timer = setInterval(() => {
      const running = startWorkflows(sim).filter(
        w => !['Succeeded', 'Failed', 'Error'].includes(w.status?.phase),
      ).length;
      peak = Math.max(peak, running);
    }, 5);
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => d.start(request(`b${i}`))),
    );
    clearInterval(timer);
    expect(startWorkflows(sim)).toHaveLength(30);
    // The budget was reached and never exceeded…
    expect(peak).toBe(5);
    // …so 30 starts took at least five rounds of 150 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5 * 150);
  });

  it('without a binding budget the same burst goes out at once (the test above can fail)', async () => {
    await sim.close();
    // Workflows that outlast the burst even on a loaded machine.
    sim = await KubeSimulator.start({
      podReadyDelayMs: 50,
      workflowDurationMs: 10_000,
    });
    const d = await driver({ maxRunningWorkflows: 100 });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => d.start(request(`c${i}`))),
    );
    const running = startWorkflows(sim).filter(
      w => !['Succeeded', 'Failed', 'Error'].includes(w.status?.phase),
    ).length;
    expect(running).toBeGreaterThan(5);
  });

  it('keeps the flag out of the workflow and in a Secret; stop removes namespace and Secret', async () => {
    const d = await driver();
    await d.start(request('s1'));
    const wf = sim.get('workflows', 'argo', 'start-s1');
    expect(JSON.stringify(wf)).not.toContain('flagstage{s1}');
    expect(sim.get('secrets', 'argo', 'flag-s1').stringData.FLAG).toBe(
      'flagstage{s1}',
    );
    expect(await d.observe('s1')).toMatchObject({ state: expect.any(String) });
    await d.stop('s1');
    expect(sim.get('namespaces', undefined, 'fs-s1')).toBeUndefined();
    expect(sim.get('secrets', 'argo', 'flag-s1')).toBeUndefined();
    expect(await d.observe('s1')).toEqual({ state: 'stopped' });
    // Stopping again is a no-op.
    await d.stop('s1');
  });

  it('observes running and failed runtimes', async () => {
    const d = await driver();
    sim.faults.imagePullError(w => w.metadata.name === 'start-bad');
    await d.start(request('ok'));
    await d.start(request('bad'));
    const until = async (id: string, state: string) => {
      for (let i = 0; i < 100; i++) {
        const o = await d.observe(id);
        if (o.state === state) return o;
        await new Promise(r => setTimeout(r, 20));
      }
      return d.observe(id);
    };
    expect(await until('ok', 'running')).toEqual({
      state: 'running',
      endpoint: { target: 'challenge.fs-ok.svc.cluster.local:3333' },
    });
    expect(await until('bad', 'failed')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/image could not be pulled/),
    });
  });

  it('refuses what cannot run: no image, or an id that cannot name objects', async () => {
    const d = await driver();
    await expect(
      d.start({ ...request('x1'), runtime: { protocol: 'http', port: 1 } }),
    ).rejects.toThrow(/no runtime.image/);
    await expect(d.start(request('Bad_Id'))).rejects.toThrow(
      /cannot name Kubernetes objects/,
    );
    const withRegistry = await driver({ registry: 'registry.example/ctf/' });
    await withRegistry.start({
      ...request('x2'),
      runtime: { protocol: 'tcp', port: 9000, build: { context: '.' } },
    });
    const image = sim
      .get('workflows', 'argo', 'start-x2')
      .spec.arguments.parameters.find((p: any) => p.name === 'image').value;
    expect(image).toBe('registry.example/ctf/web:latest');
  });

  it('survives API errors: the start fails (to be retried) and the budget slot is given back', async () => {
    const d = await driver({ maxRunningWorkflows: 1 });
    sim.faults.apiErrors(1);
    await expect(d.start(request('e1'))).rejects.toMatchObject({ code: 500 });
    sim.faults.clear();
    expect(d.runningWorkflows()).toBe(0);
    await d.start(request('e1'));
    expect(sim.get('workflows', 'argo', 'start-e1')).toBeDefined();
  });
});
