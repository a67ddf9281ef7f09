/* The deploy benchmark's BENCH_DRIVER=simulator worker. */
import type { Knex } from 'knex';
import type { JobQueue } from '@flagstage/plugin-deployment-common';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import {
  DeploymentWorker,
  InstanceApi,
  KubernetesDriver,
  PodListener,
} from '@flagstage/plugin-deployment-worker';
import { quietLogger } from '../lib/figures';
import { challengeEntity } from './fixtures';

/**
 * The production worker path against the Kubernetes API simulator: the
 * deployment backend's internal API over HTTP (this process's router), the
 * DeploymentWorker with the Kubernetes driver, and the pod listener.
 */
export async function startSimulatedWorker(port: number, queue: JobQueue) {
  const budget = Number(process.env.BENCH_BUDGET ?? 30);
  const sim = await KubeSimulator.start({
    podReadyDelayMs: Number(process.env.BENCH_POD_READY_MS ?? 2000),
    workflowDurationMs: Number(process.env.BENCH_WORKFLOW_MS ?? 1000),
    historyLimit: 50_000,
  });
  const base = `http://127.0.0.1:${port}/api/deployment`;
  const client = {
    fetch: (path: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers:
          init.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
  };
  const instances = new InstanceApi(client as any);
  const kubeConfig = sim.kubeConfig();
  const driver = new KubernetesDriver({
    kubeConfig,
    logger: quietLogger,
    maxRunningWorkflows: budget,
  });
  const listener = new PodListener({
    kubeConfig,
    instances,
    logger: quietLogger,
    workflows: driver.workflowCache,
    teardown: id => driver.teardown(id),
  });
  await driver.connect();
  await listener.start();
  const worker = new DeploymentWorker({
    queue,
    driver,
    instances,
    contest: { env: async () => ({ FLAG: 'flagstage{bench}' }) } as any,
    loadEntity: async ref => challengeEntity(ref.split('/')[1]) as any,
    logger: quietLogger,
    concurrency: 64,
  });
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, driver.runningWorkflows());
  }, 20);
  const starts = () =>
    sim
      .list('workflows', { namespace: 'argo' })
      .filter(w => w.spec.workflowTemplateRef.name === 'start-challenge');
  await worker.start();
  return {
    budget,
    consumer: { cancel: () => worker.stop() },
    peak: () => peak,
    startWorkflows: () => starts().length,
    duplicateWorkflows: () =>
      sim.requests.filter(
        r =>
          r.method === 'POST' &&
          r.path.includes('/workflows') &&
          r.status === 201,
      ).length - new Set(starts().map(w => w.metadata.name)).size,
    /** Request → workflow submitted (the worker accepted the job), per instance. */
    async acceptLatencies(db: Knex): Promise<number[]> {
      const created = new Map<string, number>();
      for (const wf of starts())
        created.set(
          wf.metadata.name,
          Date.parse(String(wf.metadata.creationTimestamp)),
        );
      const rows = await db('instances')
        .where({ contest_id: 'bench' })
        .select('id', 'created_at');
      return rows.flatMap((r: any) => {
        const at = created.get(`start-${r.id}`);
        return at === undefined ? [] : [at - new Date(r.created_at).getTime()];
      });
    },
    async stop() {
      clearInterval(sampler);
      await listener.stop();
      await driver.disconnect();
      await sim.close();
    },
  };
}
