import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
} from '@kubernetes/client-node';
import { KubeSimulator } from '../KubeSimulator';
import {
  ARGO,
  LABELS,
  startSimulator,
  startWorkflow,
  until,
} from '../__testUtils__/simulatorTestUtils';

describe('the simulated workflow controller, through the real @kubernetes/client-node', () => {
  let sim: KubeSimulator;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  beforeEach(async () => ({ sim, core, custom } = await startSimulator()));
  afterEach(() => sim.close());

  it('materialises a start-challenge workflow: namespace with labels, policy, service, job, and a pod that becomes Ready', async () => {
    // Slow pods, so each phase is observed even on a loaded machine.
    await sim.close();
    sim = await KubeSimulator.start({ podReadyDelayMs: 1500 });
    core = sim.kubeConfig().makeApiClient(CoreV1Api);
    custom = sim.kubeConfig().makeApiClient(CustomObjectsApi);
    await core.createNamespacedSecret({
      namespace: 'argo',
      body: {
        metadata: { name: 'flag-i1' },
        stringData: { FLAG: 'flagstage{x}' },
      },
    });
    await custom.createNamespacedCustomObject({
      ...ARGO,
      namespace: 'argo',
      body: startWorkflow('i1'),
    });
    await expect(
      custom.createNamespacedCustomObject({
        ...ARGO,
        namespace: 'argo',
        body: startWorkflow('i1'),
      }),
    ).rejects.toMatchObject({ code: 409 });
    const wf = await until(
      () => sim.get('workflows', 'argo', 'start-i1'),
      w => w?.status?.phase === 'Succeeded',
    );
    expect(Object.values(wf.status.nodes).length).toBeGreaterThan(1);
    const ns = sim.get('namespaces', undefined, 'fs-i1');
    expect(ns.metadata.labels).toMatchObject({
      ...LABELS,
      'flagstage.io/expires-at': '2000000000',
    });
    expect(sim.get('services', 'fs-i1', 'challenge').spec.ports[0].port).toBe(
      3333,
    );
    // Through the real batch and networking clients.
    const jobs = await sim
      .kubeConfig()
      .makeApiClient(BatchV1Api)
      .listNamespacedJob({ namespace: 'fs-i1' });
    expect(jobs.items.map(j => j.metadata?.name)).toEqual(['challenge']);
    expect(jobs.items[0].metadata?.labels).toMatchObject(LABELS);
    const policies = await sim
      .kubeConfig()
      .makeApiClient(NetworkingV1Api)
      .listNamespacedNetworkPolicy({ namespace: 'fs-i1' });
    expect(policies.items.map(n => n.metadata?.name).sort()).toEqual([
      'allow-dns',
      'allow-gateway',
      'deny-all',
    ]);
    expect(Object.values(wf.status.nodes).map((n: any) => n.phase)).toEqual(
      expect.arrayContaining(['Succeeded']),
    );
    expect(sim.get('secrets', 'fs-i1', 'flag').stringData.FLAG).toBe(
      'flagstage{x}',
    );
    const pods = await core.listPodForAllNamespaces({
      labelSelector: 'flagstage.io/instance=i1',
    });
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0].status?.phase).toBe('Pending');
    expect(pods.items[0].metadata?.name).toMatch(/^challenge-[a-z0-9]{5}$/);
    expect(pods.items[0].metadata?.labels).toMatchObject(LABELS);
    expect(pods.items[0].spec?.containers[0].name).toBe('challenge');
    const running = await until(
      () => sim.list('pods', { namespace: 'fs-i1' })[0],
      p => p.status.phase === 'Running',
    );
    expect(running.status.containerStatuses[0].ready).toBe(false);
    const ready = await until(
      () => sim.list('pods', { namespace: 'fs-i1' })[0],
      p =>
        p.status.conditions?.some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
    );
    expect(ready.status.containerStatuses[0].ready).toBe(true);
  });

  it('a stop-challenge workflow deletes the namespace; an unknown template ends in Error', async () => {
    await custom.createNamespacedCustomObject({
      ...ARGO,
      namespace: 'argo',
      body: startWorkflow('i2'),
    });
    await until(
      () => sim.get('namespaces', undefined, 'fs-i2'),
      n => n !== undefined,
    );
    await custom.createNamespacedCustomObject({
      ...ARGO,
      namespace: 'argo',
      body: {
        ...startWorkflow('i2'),
        metadata: { name: 'stop-i2' },
        spec: {
          workflowTemplateRef: { name: 'stop-challenge' },
          arguments: { parameters: [{ name: 'namespace', value: 'fs-i2' }] },
        },
      },
    });
    await until(
      () => sim.get('namespaces', undefined, 'fs-i2'),
      n => n === undefined,
    );
    await custom.createNamespacedCustomObject({
      ...ARGO,
      namespace: 'argo',
      body: {
        ...startWorkflow('i3'),
        metadata: { name: 'odd' },
        spec: { workflowTemplateRef: { name: 'nope' } },
      },
    });
    const odd = await until(
      () => sim.get('workflows', 'argo', 'odd'),
      w => w?.status?.phase === 'Error',
    );
    expect(odd.status.message).toMatch(/"nope" not found/);
  });
});
