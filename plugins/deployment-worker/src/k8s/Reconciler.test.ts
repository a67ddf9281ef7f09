import { mockServices } from '@backstage/backend-test-utils';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import { KubernetesDriver } from './KubernetesDriver';
import { Reconciler } from './Reconciler';
import { InstanceRows } from './__testUtils__/instanceRows';

const labels = (id: string) => ({
  'app.kubernetes.io/managed-by': 'flagstage',
  'flagstage.io/instance': id,
});

describe('Reconciler on the simulator', () => {
  let sim: KubeSimulator;
  let driver: KubernetesDriver;
  let rows: InstanceRows;
  let reconciler: Reconciler;
  const actions: string[] = [];

  beforeEach(async () => {
    sim = await KubeSimulator.start();
    driver = new KubernetesDriver({
      kubeConfig: sim.kubeConfig(),
      logger: mockServices.logger.mock(),
    });
    await driver.connect();
    rows = new InstanceRows();
    actions.length = 0;
    reconciler = new Reconciler({
      kubeConfig: sim.kubeConfig(),
      instances: rows,
      runtime: driver,
      logger: mockServices.logger.mock(),
      deployDeadlineMs: 60_000,
      graceMs: 0,
      onAction: kind => actions.push(kind),
    });
  });
  afterEach(async () => {
    await driver.disconnect();
    await sim.close();
  });

  it('corrects each kind of drift once, and leaves healthy instances alone', async () => {
    // healthy: a row RUNNING with its namespace
    rows.add('ok', 'RUNNING', 10_000);
    sim.create('namespaces', {
      metadata: { name: 'fs-ok', labels: labels('ok') },
    });
    // ghost: a namespace with no active row (its row ended long ago or never existed)
    sim.create('namespaces', {
      metadata: { name: 'fs-ghost', labels: labels('ghost') },
    });
    rows.add('ended', 'STOPPED', 10_000);
    sim.create('namespaces', {
      metadata: { name: 'fs-ended', labels: labels('ended') },
    });
    // orphan: a RUNNING row whose namespace vanished
    rows.add('orphan', 'RUNNING', 10_000);
    // stuck: DEPLOYING for longer than the deadline
    rows.add('stuck', 'DEPLOYING', 120_000);
    sim.create('namespaces', {
      metadata: { name: 'fs-stuck', labels: labels('stuck') },
    });
    // young deploy: DEPLOYING within the deadline, no namespace yet
    rows.add('young', 'DEPLOYING', 1_000);
    // expired: RUNNING past its expiry (the backend's sweeper missed it)
    rows.add('late', 'RUNNING', 10_000, -120_000);
    sim.create('namespaces', {
      metadata: { name: 'fs-late', labels: labels('late') },
    });
    // not ours: no managed-by label
    sim.create('namespaces', { metadata: { name: 'kube-public' } });

    const report = await reconciler.run();
    expect(report).toEqual({
      ghost_namespace: 2,
      stuck_deploy: 1,
      orphan_row: 1,
      expired: 1,
      refreshed: 2, // ok and young are still active
    });
    expect(actions.sort()).toEqual([
      'expired',
      'ghost_namespace',
      'ghost_namespace',
      'orphan_row',
      'stuck_deploy',
    ]);
    expect(rows.rows.get('ok')!.state).toBe('RUNNING');
    expect(rows.rows.get('young')!.state).toBe('DEPLOYING');
    expect(rows.rows.get('orphan')!.state).toBe('STOPPED');
    expect(rows.rows.get('stuck')!.state).toBe('FAILED');
    expect(rows.rows.get('late')!.state).toBe('EXPIRED');
    expect(rows.refreshed.sort()).toEqual(['ok', 'young']);
    // Ghosts are deleted directly; stuck and expired through the stop workflow.
    expect(
      sim.get('namespaces', undefined, 'fs-ghost')?.status.phase ?? 'gone',
    ).toMatch(/Terminating|gone/);
    expect(
      sim.get('namespaces', undefined, 'fs-ended')?.status.phase ?? 'gone',
    ).toMatch(/Terminating|gone/);
    expect(sim.get('workflows', 'argo', 'stop-stuck')).toBeDefined();
    expect(sim.get('workflows', 'argo', 'stop-late')).toBeDefined();
    expect(sim.get('namespaces', undefined, 'kube-public')).toBeDefined();
    expect(sim.get('namespaces', undefined, 'fs-ok')).toBeDefined();

    // A second pass finds nothing left to do.
    await new Promise(r => setTimeout(r, 100));
    expect(await reconciler.run()).toMatchObject({
      ghost_namespace: 0,
      stuck_deploy: 0,
      orphan_row: 0,
      expired: 0,
    });
  });

  it('leaves namespaces younger than the grace period alone', async () => {
    const patient = new Reconciler({
      kubeConfig: sim.kubeConfig(),
      instances: rows,
      runtime: driver,
      logger: mockServices.logger.mock(),
      graceMs: 60_000,
    });
    sim.create('namespaces', {
      metadata: { name: 'fs-new', labels: labels('new') },
    });
    expect((await patient.run()).ghost_namespace).toBe(0);
    expect(sim.get('namespaces', undefined, 'fs-new')).toBeDefined();
  });
});
