import { CoreV1Api } from '@kubernetes/client-node';
import { KubeSimulator, KubeSimulatorError } from './KubeSimulator';

const statusOf = (e: any) => e?.code ?? e?.statusCode;

function pod(
  name: string,
  containers: string[],
  initContainers: string[] = [],
) {
  return {
    metadata: { name, namespace: 'fs-i1' },
    spec: {
      initContainers: initContainers.map(c => ({ name: c, image: 'x' })),
      containers: containers.map(c => ({ name: c, image: 'x' })),
    },
  };
}

describe('KubeSimulator pod logs with the real @kubernetes/client-node', () => {
  let sim: KubeSimulator;
  let core: CoreV1Api;

  beforeEach(async () => {
    sim = await KubeSimulator.start();
    core = sim.kubeConfig().makeApiClient(CoreV1Api);
    sim.create('namespaces', { metadata: { name: 'fs-i1' } });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('answers the text set for the pod, the last tailLines lines, cut at limitBytes', async () => {
    sim.create('pods', pod('challenge-abcde', ['challenge']));
    sim.setPodLog('fs-i1', 'challenge-abcde', 'one\ntwo\nthree\n');
    await expect(
      core.readNamespacedPodLog({
        namespace: 'fs-i1',
        name: 'challenge-abcde',
        container: 'challenge',
      }),
    ).resolves.toBe('one\ntwo\nthree\n');
    // Without a container: the pod's only one.
    await expect(
      core.readNamespacedPodLog({
        namespace: 'fs-i1',
        name: 'challenge-abcde',
        tailLines: 2,
      }),
    ).resolves.toBe('two\nthree\n');
    await expect(
      core.readNamespacedPodLog({
        namespace: 'fs-i1',
        name: 'challenge-abcde',
        tailLines: 0,
      }),
    ).resolves.toBe('');
    await expect(
      core.readNamespacedPodLog({
        namespace: 'fs-i1',
        name: 'challenge-abcde',
        limitBytes: 5,
      }),
    ).resolves.toBe('one\nt');
    expect(sim.requests.map(r => r.path)).toContain(
      '/api/v1/namespaces/fs-i1/pods/challenge-abcde/log?container=challenge',
    );
  });

  it('keeps logs per container, and an empty log for a pod without one', async () => {
    sim.create('pods', pod('start-i1-1', ['wait', 'main'], ['init']));
    sim.setPodLog('fs-i1', 'start-i1-1', 'created namespace\n', 'main');
    sim.setPodLog('fs-i1', 'start-i1-1', 'waiting\n', 'wait');
    const read = (container: string) =>
      core.readNamespacedPodLog({
        namespace: 'fs-i1',
        name: 'start-i1-1',
        container,
      });
    await expect(read('main')).resolves.toBe('created namespace\n');
    await expect(read('wait')).resolves.toBe('waiting\n');
    await expect(read('init')).resolves.toBe('');
  });

  it('answers 400 without a container on a pod with several, or with an unknown one; 404 for a missing pod', async () => {
    sim.create('pods', pod('start-i1-1', ['wait', 'main']));
    const several = await core
      .readNamespacedPodLog({ namespace: 'fs-i1', name: 'start-i1-1' })
      .catch(e => e);
    expect(statusOf(several)).toBe(400);
    expect(String(several.body)).toContain(
      'a container name must be specified for pod start-i1-1, choose one of: [wait main]',
    );
    const unknown = await core
      .readNamespacedPodLog({
        namespace: 'fs-i1',
        name: 'start-i1-1',
        container: 'challenge',
      })
      .catch(e => e);
    expect(statusOf(unknown)).toBe(400);
    expect(String(unknown.body)).toContain(
      'container challenge is not valid for pod start-i1-1',
    );
    const missing = await core
      .readNamespacedPodLog({ namespace: 'fs-i1', name: 'nope' })
      .catch(e => e);
    expect(statusOf(missing)).toBe(404);
    expect(() => sim.setPodLog('fs-i1', 'nope', 'x')).toThrow(
      KubeSimulatorError,
    );
  });

  it('forgets the log of a deleted pod: a new pod of the same name starts empty', async () => {
    sim.create('pods', pod('challenge-abcde', ['challenge']));
    sim.setPodLog('fs-i1', 'challenge-abcde', 'old\n');
    sim.delete('pods', 'fs-i1', 'challenge-abcde');
    sim.create('pods', pod('challenge-abcde', ['challenge']));
    await expect(
      core.readNamespacedPodLog({
        namespace: 'fs-i1',
        name: 'challenge-abcde',
      }),
    ).resolves.toBe('');
  });

  it('still answers 404 for subresources it does not simulate', async () => {
    sim.create('pods', pod('challenge-abcde', ['challenge']));
    const res = await fetch(
      `${sim.url}/api/v1/namespaces/fs-i1/pods/challenge-abcde/exec`,
    );
    expect(res.status).toBe(404);
  });
});
