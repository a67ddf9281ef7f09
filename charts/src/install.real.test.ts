import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {
  ControlPlane,
  describeWithControlPlane,
  type KubectlResult,
} from '@flagstage/k8s-control-plane';
import { chartDir, helmBinary, valuesFile } from './__testUtils__/helm';

/**
 * `helm install` and `helm test` of the chart into a real control plane
 * (packages/k8s-control-plane), as an operator runs them (charts/README.md).
 *
 * Real: Helm v3.22.0 talking to kube-apiserver v1.34.4 as admin; server-side
 * validation of every object (schemas, defaults, field validation), Argo's
 * CRDs, the chart's ValidatingAdmissionPolicies and RBAC being accepted, Pod
 * Security admission at `restricted` on both namespaces (the Deployments'
 * pods are created by the real ReplicaSet controller and would be refused),
 * scheduling, Deployment roll-out for `--wait`, and the test hook's whole
 * lifecycle in Helm (created, watched until a terminal phase, deleted on
 * success, kept and reported on failure).
 * Faked: the pods run nothing (kwok). The harness's kwok stages take a pod to
 * Running and never to Succeeded, so this test plays the kubelet for the
 * hook pod: once Running, its status is set to a terminal phase, which is
 * what a kubelet reports when the container exits. Whether the backend and
 * gateway really answer /readyz is not proven here (processes.test.ts runs
 * them).
 */

// A cold machine builds the tools first (CI builds them before the tests).
const SETUP_TIMEOUT = 45 * 60_000;
jest.setTimeout(300_000);

const HOOK_POD = 'flagstage-chart-test';
const NAMESPACES = ['flagstage', 'flagstage-gateway'];

type Run = KubectlResult;

function runHelm(plane: ControlPlane, args: string[]): Promise<Run> {
  return new Promise(resolve => {
    execFile(
      helmBinary(),
      [...args, '--kubeconfig', plane.adminKubeconfig],
      {
        cwd: chartDir,
        env: { ...process.env, HELM_CACHE_HOME: os.tmpdir() },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as any).code ?? 1) || 1 : 0,
          stdout,
          stderr,
        }),
    );
  });
}

async function must(result: Promise<Run>): Promise<string> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/**
 * The kubelet's part for the hook pod: wait until kwok reports it Running,
 * then record the container's exit (0 → Succeeded, else Failed).
 */
async function finishHookPod(plane: ControlPlane, exitCode: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await plane.kubectl([
      '-n',
      'flagstage',
      'get',
      'pod',
      HOOK_POD,
      '-o',
      'json',
    ]);
    const pod = r.code === 0 ? JSON.parse(r.stdout) : undefined;
    if (pod?.status?.phase === 'Running' && !pod.metadata.deletionTimestamp) {
      const now = new Date().toISOString();
      const status = {
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        containerStatuses: pod.spec.containers.map((c: any) => ({
          name: c.name,
          image: c.image,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: {
            terminated: {
              exitCode,
              reason: exitCode === 0 ? 'Completed' : 'Error',
              startedAt: pod.status.startTime,
              finishedAt: now,
            },
          },
        })),
      };
      await must(
        plane.kubectl([
          '-n',
          'flagstage',
          'patch',
          'pod',
          HOOK_POD,
          '--subresource=status',
          '--type=merge',
          '-p',
          JSON.stringify({ status }),
        ]),
      );
      return;
    }
    if (Date.now() > deadline)
      throw new Error(`hook pod never Running: ${r.stderr || r.stdout}`);
    await new Promise(res => setTimeout(res, 250));
  }
}

describeWithControlPlane()(
  'helm install and helm test on a real control plane',
  () => {
    let plane: ControlPlane;

    beforeAll(async () => {
      plane = await ControlPlane.start();
      // The operator's steps 3 and 5 (charts/README.md): the namespaces, at
      // Pod Security `restricted`, and the Secrets with their placeholders.
      for (const ns of NAMESPACES) {
        await must(plane.kubectl(['create', 'namespace', ns]));
        await must(
          plane.kubectl([
            'label',
            'namespace',
            ns,
            'pod-security.kubernetes.io/enforce=restricted',
          ]),
        );
      }
      await must(
        plane.kubectl([
          'apply',
          '-f',
          path.join(chartDir, 'examples', 'secrets.yaml'),
        ]),
      );
    }, SETUP_TIMEOUT);
    afterAll(() => plane?.stop());

    it('helm install --wait succeeds: the API server accepts every object and the Deployments roll out', async () => {
      // The fake cluster has no load balancer (`--wait` would wait for an
      // external address forever); everything else is values-small.yaml.
      const fakeCluster = valuesFile({
        gateway: { tcpService: { type: 'NodePort' } },
      });
      const out = await must(
        runHelm(plane, [
          'install',
          'flagstage',
          '.',
          '-n',
          'flagstage',
          '-f',
          'values-small.yaml',
          '-f',
          fakeCluster,
          '--wait',
          '--timeout',
          '4m',
        ]),
      );
      expect(out).toMatch(/STATUS: deployed/);

      const get = async (ns: string, what: string) =>
        JSON.parse(
          await must(plane.kubectl(['-n', ns, 'get', what, '-o', 'json'])),
        ).items;
      const deployments = [
        ...(await get('flagstage', 'deployments')),
        ...(await get('flagstage-gateway', 'deployments')),
      ];
      expect(deployments.map((d: any) => d.metadata.name).sort()).toEqual([
        'flagstage-backend',
        'flagstage-gateway',
        'flagstage-worker',
      ]);
      for (const d of deployments)
        expect(d.status.availableReplicas).toBe(d.spec.replicas);
      // The pods passed Pod Security `restricted` (else none would exist).
      expect((await get('flagstage', 'pods')).length).toBeGreaterThan(0);
      const templates = await get('argo', 'workflowtemplates');
      expect(templates.length).toBeGreaterThan(0);
      expect(
        await get('', 'validatingadmissionpolicybindings'),
      ).not.toHaveLength(0);
    });

    it('helm test reports a failing check as a failure and keeps the pod', async () => {
      const [run] = await Promise.all([
        runHelm(plane, ['test', 'flagstage', '-n', 'flagstage']),
        finishHookPod(plane, 1),
      ]);
      expect(run.code).not.toBe(0);
      expect(`${run.stderr}${run.stdout}`).toMatch(/flagstage-chart-test/);
      const pod = await plane.kubectl([
        '-n',
        'flagstage',
        'get',
        'pod',
        HOOK_POD,
        '-o',
        'jsonpath={.status.phase}',
      ]);
      expect(pod.stdout).toBe('Failed');
    });

    it('helm test passes when the hook pod succeeds, and deletes it', async () => {
      const [run] = await Promise.all([
        runHelm(plane, ['test', 'flagstage', '-n', 'flagstage']),
        finishHookPod(plane, 0),
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /TEST SUITE:\s+flagstage-chart-test[\s\S]*Phase:\s+Succeeded/,
      );
      const gone = await plane.kubectl([
        '-n',
        'flagstage',
        'get',
        'pod',
        HOOK_POD,
        '--ignore-not-found',
        '-o',
        'name',
      ]);
      expect(gone.stdout.trim()).toBe('');
    });
  },
);
