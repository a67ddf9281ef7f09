import {
  CoreV1Api,
  Watch,
  makeInformer,
  type V1Pod,
} from '@kubernetes/client-node';
import { KubeSimulator } from '../KubeSimulator';
import { startSimulator, until } from '../__testUtils__/simulatorTestUtils';

const statusOf = (e: any) => e?.code ?? e?.statusCode;

describe('KubeSimulator watches with the real @kubernetes/client-node', () => {
  let sim: KubeSimulator;
  let core: CoreV1Api;
  beforeEach(async () => ({ sim, core } = await startSimulator()));
  afterEach(() => sim.close());

  it('a Watch receives ADDED, MODIFIED and DELETED for its selector, with bookmarks and timeoutSeconds', async () => {
    await core.createNamespace({ body: { metadata: { name: 'w' } } });
    sim.create('services', {
      metadata: { name: 'before', namespace: 'w', labels: { app: 'x' } },
    });
    const events: string[] = [];
    let ended = false;
    await new Watch(sim.kubeConfig()).watch(
      '/api/v1/namespaces/w/services',
      { labelSelector: 'app=x', allowWatchBookmarks: true, timeoutSeconds: 1 },
      (type, obj) => events.push(`${type} ${obj.metadata?.name ?? ''}`),
      () => {
        ended = true;
      },
    );
    await core.createNamespacedService({
      namespace: 'w',
      body: { metadata: { name: 's', labels: { app: 'x' } } },
    });
    await core.createNamespacedService({
      namespace: 'w',
      body: { metadata: { name: 'other', labels: { app: 'y' } } },
    });
    await core.patchNamespacedService({
      name: 's',
      namespace: 'w',
      body: [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }],
    });
    await core.deleteNamespacedService({ name: 's', namespace: 'w' });
    await until(
      () => events.slice(),
      e => e.includes('DELETED s'),
    );
    expect(events).toEqual([
      'ADDED before',
      'BOOKMARK ',
      'ADDED s',
      'MODIFIED s',
      'DELETED s',
    ]);
    // timeoutSeconds=1 ends the stream cleanly.
    await until(
      () => ended,
      e => e,
    );
  });

  it('an informer sees adds, updates and deletes, and after 410 Expired relists without missing a change', async () => {
    const informer = makeInformer<V1Pod>(
      sim.kubeConfig(),
      '/api/v1/pods',
      () => core.listPodForAllNamespaces({ labelSelector: 'app=x' }),
      'app=x',
    );
    const seen: string[] = [];
    informer.on('add', p => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', p =>
      seen.push(`update ${p.metadata?.name} ${p.metadata?.labels?.v ?? ''}`),
    );
    informer.on('delete', p => seen.push(`delete ${p.metadata?.name}`));
    await core.createNamespace({ body: { metadata: { name: 'w' } } });
    sim.create('pods', {
      metadata: { name: 'a', namespace: 'w', labels: { app: 'x' } },
    });
    await informer.start();
    await until(
      () => seen.slice(),
      s => s.includes('add a'),
    );
    sim.create('pods', {
      metadata: { name: 'b', namespace: 'w', labels: { app: 'x' } },
    });
    sim.create('pods', {
      metadata: { name: 'other', namespace: 'w', labels: { app: 'y' } },
    });
    sim.patch('pods', 'w', 'a', { metadata: { labels: { v: '2' } } });
    await until(
      () => seen.slice(),
      s => s.includes('update a 2'),
    );
    expect(seen).toContain('add b');
    expect(seen.join()).not.toMatch(/other/);

    // Compaction: open watches close, old versions are gone. Changes made
    // before the informer reconnects must still arrive (through the relist).
    sim.faults.expireWatchHistory();
    sim.delete('pods', 'w', 'b');
    sim.patch('pods', 'w', 'a', { metadata: { labels: { v: '3' } } });
    sim.create('pods', {
      metadata: { name: 'c', namespace: 'w', labels: { app: 'x' } },
    });
    await until(
      () => seen.slice(),
      s =>
        s.includes('delete b') &&
        s.includes('update a 3') &&
        s.includes('add c'),
    );
    expect(sim.requests.some(r => r.method === 'WATCH')).toBe(true);
    expect(
      informer
        .list()
        .map(p => p.metadata?.name)
        .sort(),
    ).toEqual(['a', 'c']);
    await informer.stop();
  });

  it('keeps historyLimit events per kind: resuming within them replays, older gets 410', async () => {
    const small = await KubeSimulator.start({ historyLimit: 2 });
    try {
      const rv0 = small.create('namespaces', { metadata: { name: 'n0' } })
        .metadata.resourceVersion;
      const rv1 = small.create('namespaces', { metadata: { name: 'n1' } })
        .metadata.resourceVersion;
      small.create('namespaces', { metadata: { name: 'n2' } });
      small.create('namespaces', { metadata: { name: 'n3' } });
      const lines = async (rv: string) =>
        (
          await (
            await fetch(
              `${small.url}/api/v1/namespaces?watch=true&resourceVersion=${rv}&timeoutSeconds=0.1`,
            )
          ).text()
        )
          .trim()
          .split('\n')
          .map(l => JSON.parse(l));
      // n2 and n3 are kept: from rv1 the watch replays exactly them.
      expect(
        (await lines(rv1)).map(e => `${e.type} ${e.object.metadata.name}`),
      ).toEqual(['ADDED n2', 'ADDED n3']);
      expect(await lines(rv0)).toEqual([
        expect.objectContaining({
          type: 'ERROR',
          object: expect.objectContaining({ code: 410, reason: 'Expired' }),
        }),
      ]);
      // Pod logs are simulated (see podLogs.test.ts); exec is not.
      const pods = await fetch(`${small.url}/api/v1/namespaces/n1/pods/x/exec`);
      expect(pods.status).toBe(404);
      expect(await pods.json()).toMatchObject({
        kind: 'Status',
        code: 404,
        message: expect.stringMatching(/not simulated/),
      });
    } finally {
      await small.close();
    }
  });

  it('sends a 410 Expired event to a watch resuming from a forgotten version', async () => {
    const before = Number(sim.list('namespaces')[0].metadata.resourceVersion);
    sim.faults.expireWatchHistory();
    sim.create('namespaces', { metadata: { name: 'later' } });
    const res = await fetch(
      `${sim.url}/api/v1/namespaces?watch=true&resourceVersion=${before}`,
    );
    const text = await res.text();
    const event = JSON.parse(text.trim().split('\n')[0]);
    expect(event).toMatchObject({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' },
    });
    expect(statusOf({ code: 410 })).toBe(410);
  });
});
