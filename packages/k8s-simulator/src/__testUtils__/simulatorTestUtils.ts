import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { KubeSimulator, type KubeSimulatorOptions } from '../KubeSimulator';

/** Argo's Workflow resource, as CustomObjectsApi addresses it. */
export const ARGO = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'workflows',
};

/** The Flagstage labels of instance i1. */
export const LABELS = {
  'app.kubernetes.io/managed-by': 'flagstage',
  'flagstage.io/instance': 'i1',
  'flagstage.io/contest': 'c1',
  'flagstage.io/team': 't1',
  'flagstage.io/challenge': 'web',
};

/** A start-challenge Workflow for instance `id`, as the worker submits it. */
export function startWorkflow(id: string) {
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

/** Polls `fn` every 20 ms until `ok` holds (5 s at most). */
export async function until<T>(
  fn: () => T | Promise<T>,
  ok: (t: T) => boolean,
) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out; last ${JSON.stringify(v)}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

/** A simulator and the real clients that talk to it. */
export async function startSimulator(
  options: KubeSimulatorOptions = { podReadyDelayMs: 100 },
) {
  const sim = await KubeSimulator.start(options);
  return {
    sim,
    core: sim.kubeConfig().makeApiClient(CoreV1Api),
    custom: sim.kubeConfig().makeApiClient(CustomObjectsApi),
  };
}
