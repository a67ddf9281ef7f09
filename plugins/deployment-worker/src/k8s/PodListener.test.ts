import { mockServices } from '@backstage/backend-test-utils';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import type { InstanceState } from '@flagstage/plugin-deployment-common';
import { PodListener } from './PodListener';
import { DEADLINE_REASON } from './podVerdict';
import { InstanceRows } from './__testUtils__/instanceRows';

/** The rows, remembering each applied transition's reason. */
class RecordingRows extends InstanceRows {
  reasons = new Map<string, string | undefined>();
  async transition(
    id: string,
    from: InstanceState[],
    to: InstanceState,
    options?: { reason?: string },
  ) {
    const result = await super.transition(id, from, to);
    if (result.ok) this.reasons.set(id, options?.reason);
    return result;
  }
}

async function waitFor(check: () => boolean) {
  for (let i = 0; i < 250 && !check(); i++)
    await new Promise(r => setTimeout(r, 20));
}

/** A start-challenge workflow for instance `id`, as the driver submits it. */
const startWorkflow = (id: string, image: string) => ({
  metadata: {
    name: `start-${id}`,
    namespace: 'argo',
    labels: {
      'app.kubernetes.io/managed-by': 'flagstage',
      'flagstage.io/instance': id,
    },
  },
  spec: {
    workflowTemplateRef: { name: 'start-challenge' },
    arguments: {
      parameters: [
        { name: 'namespace', value: `fs-${id}` },
        { name: 'instance-id', value: id },
        { name: 'image', value: image },
        { name: 'port', value: '8080' },
        { name: 'active-deadline-seconds', value: '3600' },
      ],
    },
  },
});

describe('PodListener on the API simulator', () => {
  let sim: KubeSimulator;
  let listener: PodListener;
  const rows = new RecordingRows();
  const torn: string[] = [];

  beforeAll(async () => {
    sim = await KubeSimulator.start({ podReadyDelayMs: 50 });
    listener = new PodListener({
      kubeConfig: sim.kubeConfig(),
      instances: rows,
      logger: mockServices.logger.mock(),
      teardown: async id => void torn.push(id),
    });
    await listener.start();
  });
  afterAll(async () => {
    await listener?.stop();
    await sim?.close();
  });

  it('a crash under restartPolicy Never fails the instance with the exit code', async () => {
    sim.faults.crash(wf => wf.metadata.name === 'start-crash');
    rows.add('crash', 'DEPLOYING', 0);
    sim.create('workflows', startWorkflow('crash', 'registry.example/c:1'));
    await waitFor(() => rows.state('crash') === 'FAILED');
    expect(rows.state('crash')).toBe('FAILED');
    expect(rows.reasons.get('crash')).toBe('the challenge exited with code 1');
    expect(torn).toContain('crash');
  });

  it("the Job's deadline: its pod deleted, the Job Failed with DeadlineExceeded → FAILED", async () => {
    sim.faults.jobDeadline(300, wf => wf.metadata.name === 'start-brief');
    rows.add('brief', 'DEPLOYING', 0);
    sim.create('workflows', startWorkflow('brief', 'registry.example/b:1'));
    await waitFor(() => rows.state('brief') === 'RUNNING');
    expect(rows.state('brief')).toBe('RUNNING');
    await waitFor(() => rows.state('brief') === 'FAILED');
    expect(rows.state('brief')).toBe('FAILED');
    expect(rows.reasons.get('brief')).toBe(DEADLINE_REASON);
    expect(torn).toContain('brief');
    expect(
      sim.requests.some(
        r => r.method === 'GET' && r.path.endsWith('/fs-brief/jobs/challenge'),
      ),
    ).toBe(true);
  });

  it('a pod deleted for another reason (no deadline on its Job) leaves the instance alone', async () => {
    rows.add('plain', 'DEPLOYING', 0);
    sim.create('workflows', startWorkflow('plain', 'registry.example/p:1'));
    await waitFor(() => rows.state('plain') === 'RUNNING');
    const [pod] = sim.list('pods', { namespace: 'fs-plain' });
    sim.delete('pods', 'fs-plain', pod.metadata.name);
    await waitFor(() =>
      sim.requests.some(r => r.path.endsWith('/fs-plain/jobs/challenge')),
    );
    await listener.idle();
    expect(rows.state('plain')).toBe('RUNNING');
    expect(torn).not.toContain('plain');
  });
});
