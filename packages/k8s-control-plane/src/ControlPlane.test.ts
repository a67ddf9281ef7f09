import { ControlPlane } from './ControlPlane';
import { describeWithControlPlane } from './describeWithControlPlane';

// A cold machine builds the tools first.
const SETUP_TIMEOUT = 45 * 60_000;
jest.setTimeout(90_000);

async function eventually<T>(fn: () => Promise<T>, ok: (t: T) => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise(r => setTimeout(r, 250));
  }
}

describeWithControlPlane()('ControlPlane', () => {
  let plane: ControlPlane;
  const json = async (...args: string[]) => {
    const r = await plane.kubectl([...args, '-o', 'json']);
    return r.code === 0 ? JSON.parse(r.stdout) : undefined;
  };

  beforeAll(async () => {
    plane = await ControlPlane.start({
      faults: { pullError: ['example/missing:1'] },
    });
  }, SETUP_TIMEOUT);
  afterAll(() => plane?.stop());

  it('authenticates static-token users and authorizes them by RBAC', async () => {
    const admin = await plane.kubectl(['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(admin.stdout).status.userInfo.groups).toContain(
      'system:masters',
    );
    const alice = await plane.kubectl(['get', 'namespaces'], {
      token: plane.userTokens.alice,
    });
    expect(alice.code).not.toBe(0);
    expect(alice.stderr).toContain(
      'User "alice" cannot list resource "namespaces"',
    );
  });

  it('runs a Job on the kwok node: scheduled, Running and Ready; a missing image is ErrImagePull', async () => {
    for (const [name, image] of [
      ['ok', 'example/app:1'],
      ['bad', 'example/missing:1'],
    ]) {
      const r = await plane.kubectl([
        'create',
        'job',
        name,
        `--image=${image}`,
      ]);
      expect(r.stderr).toBe('');
    }
    const pod = (job: string) =>
      json('get', 'pods', '-l', `job-name=${job}`).then(l => l?.items?.[0]);
    const ready = await eventually(
      () => pod('ok'),
      p =>
        p?.status?.conditions?.some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
    );
    expect(ready.spec.nodeName).toBe('kwok-node-0');
    expect(ready.status.phase).toBe('Running');
    const bad = await eventually(
      () => pod('bad'),
      p =>
        !!p?.status?.containerStatuses?.[0]?.state?.waiting?.reason?.startsWith(
          'ErrImage',
        ),
    );
    expect(bad.status.containerStatuses[0].state.waiting.reason).toBe(
      'ErrImagePull',
    );
    // pods/log: the API server proxies to kwok's kubelet API.
    const logs = await plane.kubectl(['logs', `pod/${ready.metadata.name}`]);
    expect(logs.stderr).toBe('');
    expect(logs.stdout).toContain(
      'listening on :8080 (a log line served by kwok)',
    );
  });

  it("plays Argo's executor: a resource step and a kubectl script step run with the pod's ServiceAccount", async () => {
    const setup = await plane.kubectlStdin(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: { name: 'runner', namespace: 'argo' },
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'Role',
            metadata: { name: 'runner', namespace: 'argo' },
            rules: [
              {
                apiGroups: [''],
                resources: ['configmaps'],
                verbs: ['create', 'get'],
              },
              {
                apiGroups: ['argoproj.io'],
                resources: ['workflowtaskresults'],
                verbs: ['create', 'patch'],
              },
            ],
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'runner', namespace: 'argo' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'Role',
              name: 'runner',
            },
            subjects: [
              { kind: 'ServiceAccount', name: 'runner', namespace: 'argo' },
            ],
          },
        ],
      }),
    );
    expect(setup.stderr).toBe('');
    const workflow = (name: string, secondStep: object) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name, namespace: 'argo' },
      spec: {
        entrypoint: 'main',
        serviceAccountName: 'runner',
        templates: [
          {
            name: 'main',
            steps: [
              [{ name: 'make', template: 'make' }],
              [{ name: 'read', template: 'read' }],
            ],
          },
          {
            name: 'make',
            resource: {
              action: 'create',
              manifest: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: argo\ndata: { by: argo }\n`,
            },
          },
          { name: 'read', ...secondStep },
        ],
      },
    });
    const script = (cmd: string) => ({
      container: {
        image: 'bitnami/kubectl:1.31',
        command: ['sh', '-ec'],
        args: [cmd],
      },
    });
    await plane.kubectlStdin(
      ['create', '-f', '-'],
      JSON.stringify(
        workflow('wf-ok', script('kubectl -n argo get configmap wf-ok')),
      ),
    );
    // Outside the Role: the step fails, and with it the workflow.
    await plane.kubectlStdin(
      ['create', '-f', '-'],
      JSON.stringify(
        workflow('wf-denied', script('kubectl -n argo get secrets')),
      ),
    );
    const phase = (name: string) =>
      eventually(
        () => json('-n', 'argo', 'get', 'workflow', name),
        wf => ['Succeeded', 'Failed', 'Error'].includes(wf?.status?.phase),
      ).then(wf => wf?.status);
    const ok = await phase('wf-ok');
    expect(ok.phase).toBe('Succeeded');
    const denied = await phase('wf-denied');
    expect(denied.phase).toBe('Failed');
    const steps = plane.executor.executed.filter(
      s => s.workflow === 'wf-denied',
    );
    expect(steps.map(s => s.serviceAccount)).toEqual(['runner', 'runner']);
    expect(
      steps.find(s => s.outcome.exitCode !== 0)?.outcome.message,
    ).toContain(
      'system:serviceaccount:argo:runner" cannot list resource "secrets"',
    );
  });
});
