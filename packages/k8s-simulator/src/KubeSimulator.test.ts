import { CoreV1Api, Watch } from '@kubernetes/client-node';
import type { KubeSimulator } from './KubeSimulator';
import { startSimulator, until } from './__testUtils__/simulatorTestUtils';

describe('KubeSimulator objects with the real @kubernetes/client-node', () => {
  let sim: KubeSimulator;
  let core: CoreV1Api;
  beforeEach(async () => ({ sim, core } = await startSimulator()));
  afterEach(() => sim.close());

  it('creates, reads, lists by label selector, patches and deletes; 409 on a duplicate, 404 when missing', async () => {
    await core.createNamespace({
      body: { metadata: { name: 'team-a', labels: { tier: 'x' } } },
    });
    await core.createNamespace({ body: { metadata: { name: 'team-b' } } });
    await expect(
      core.createNamespace({ body: { metadata: { name: 'team-a' } } }),
    ).rejects.toMatchObject({ code: 409 });
    const secret = await core.createNamespacedSecret({
      namespace: 'team-a',
      body: {
        metadata: { name: 's', labels: { a: '1' } },
        stringData: { K: 'v' },
      },
    });
    expect(secret.metadata?.resourceVersion).toMatch(/^\d+$/);
    await expect(
      core.createNamespacedSecret({
        namespace: 'nowhere',
        body: { metadata: { name: 's' } },
      }),
    ).rejects.toMatchObject({ code: 404 });
    expect(
      (await core.readNamespacedSecret({ name: 's', namespace: 'team-a' }))
        .stringData,
    ).toEqual({ K: 'v' });
    const listed = await core.listNamespace({ labelSelector: 'tier=x' });
    expect(listed.items.map(n => n.metadata?.name)).toEqual(['team-a']);
    expect(
      (await core.listNamespace({ labelSelector: '!tier' })).items.map(
        n => n.metadata?.name,
      ),
    ).toEqual(expect.arrayContaining(['team-b', 'argo', 'default']));
    expect(
      (await core.listNamespace({ labelSelector: 'tier in (y,x)' })).items,
    ).toHaveLength(1);
    await expect(
      core.listNamespace({ labelSelector: 'tier in (' }),
    ).rejects.toMatchObject({ code: 400 });
    // client-node's default patch type is a JSON patch (RFC 6902).
    const patched = await core.patchNamespacedSecret({
      name: 's',
      namespace: 'team-a',
      body: [
        { op: 'replace', path: '/metadata/labels/a', value: '2' },
        { op: 'add', path: '/metadata/labels/b', value: '3' },
      ],
    });
    expect(patched.metadata?.labels).toEqual({ a: '2', b: '3' });
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(
      Number(secret.metadata?.resourceVersion),
    );
    await core.deleteNamespacedSecret({ name: 's', namespace: 'team-a' });
    await expect(
      core.readNamespacedSecret({ name: 's', namespace: 'team-a' }),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      core.deleteNamespacedSecret({ name: 's', namespace: 'team-a' }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('deleting a namespace terminates it, then removes everything in it', async () => {
    // Terminating long enough that the refused create below lands inside
    // the window even on a loaded machine.
    await sim.close();
    ({ sim, core } = await startSimulator({ namespaceTerminationMs: 1000 }));
    await core.createNamespace({ body: { metadata: { name: 'gone' } } });
    await core.createNamespacedSecret({
      namespace: 'gone',
      body: { metadata: { name: 's' } },
    });
    const deleted: string[] = [];
    await new Watch(sim.kubeConfig()).watch(
      '/api/v1/secrets',
      {},
      (type, obj) => {
        if (type === 'DELETED') deleted.push(obj.metadata.name);
      },
      () => {},
    );
    await core.deleteNamespace({ name: 'gone' });
    expect(sim.get('namespaces', undefined, 'gone')?.status.phase).toBe(
      'Terminating',
    );
    await expect(
      core.createNamespacedSecret({
        namespace: 'gone',
        body: { metadata: { name: 't' } },
      }),
    ).rejects.toMatchObject({ code: 403 });
    await until(
      () => sim.get('namespaces', undefined, 'gone'),
      ns => ns === undefined,
    );
    expect(sim.list('secrets', { namespace: 'gone' })).toEqual([]);
    await until(
      () => deleted.slice(),
      d => d.includes('s'),
    );
  });

  it('filters lists by field selector', async () => {
    await core.createNamespace({ body: { metadata: { name: 'f' } } });
    for (const name of ['a', 'b'])
      sim.create('pods', {
        metadata: { name, namespace: 'f' },
        status: { phase: name === 'a' ? 'Running' : 'Pending' },
      });
    const byName = await core.listNamespacedPod({
      namespace: 'f',
      fieldSelector: 'metadata.name=b',
    });
    expect(byName.items.map(p => p.metadata?.name)).toEqual(['b']);
    const notRunning = await core.listPodForAllNamespaces({
      fieldSelector: 'status.phase!=Running',
    });
    expect(notRunning.items.map(p => p.metadata?.name)).toEqual(['b']);
    await expect(
      core.listNamespacedPod({ namespace: 'f', fieldSelector: 'spec.x=1' }),
    ).rejects.toMatchObject({ code: 400 });
  });
});
