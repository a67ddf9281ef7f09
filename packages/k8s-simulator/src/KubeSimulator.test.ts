import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  Watch,
  makeInformer,
  type V1Pod,
} from '@kubernetes/client-node';
import { KubeSimulator } from './KubeSimulator';

const ARGO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' };
const LABELS = {
  'app.kubernetes.io/managed-by': 'flagstage',
  'flagstage.io/instance': 'i1',
  'flagstage.io/contest': 'c1',
  'flagstage.io/team': 't1',
  'flagstage.io/challenge': 'web',
};

function startWorkflow(id: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: `start-${id}`,
      labels: { ...LABELS, 'flagstage.io/instance': id },
    },
    spec: {
      workflowTemplateRef: { name: 'start-challenge' },
      arguments: {
        parameters: [
          { name: 'namespace', value: `fs-${id}` },
          { name: 'instance-id', value: id },
          { name: 'contest-id', value: 'c1' },
          { name: 'team-id', value: 't1' },
          { name: 'challenge', value: 'web' },
          { name: 'image', value: 'registry.example/web:1' },
          { name: 'port', value: '8080' },
          { name: 'expires-at', value: '2000000000' },
          { name: 'active-deadline-seconds', value: '3600' },
          { name: 'flag-secret', value: `flag-${id}` },
        ],
      },
    },
  };
}

async function until<T>(fn: () => T | Promise<T>, ok: (t: T) => boolean) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out; last ${JSON.stringify(v)}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

const statusOf = (e: any) => e?.code ?? e?.statusCode;

describe('KubeSimulator with the real @kubernetes/client-node', () => {
  let sim: KubeSimulator;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;

  beforeEach(async () => {
    sim = await KubeSimulator.start({ podReadyDelayMs: 100 });
    core = sim.kubeConfig().makeApiClient(CoreV1Api);
    custom = sim.kubeConfig().makeApiClient(CustomObjectsApi);
  });
  afterEach(async () => {
    await sim.close();
  });

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

  it('injects image pull errors, crash loops and stuck pods', async () => {
    sim.faults.imagePullError(wf => wf.metadata.name === 'start-pull');
    sim.faults.crashLoop(wf => wf.metadata.name === 'start-crash');
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
    const crash = await until(
      () => sim.list('pods', { namespace: 'fs-crash' })[0],
      p =>
        p?.status?.containerStatuses?.[0]?.state?.waiting?.reason ===
        'CrashLoopBackOff',
    );
    expect(crash.status.containerStatuses[0].restartCount).toBeGreaterThan(0);
    await new Promise(r => setTimeout(r, 250));
    const stuck = sim.list('pods', { namespace: 'fs-stuck' })[0];
    expect(stuck.status.phase).toBe('Pending');
    expect(stuck.status.containerStatuses).toBeUndefined();
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
