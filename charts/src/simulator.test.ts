import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import {
  KubernetesDriver,
  PodListener,
} from '@flagstage/plugin-deployment-worker/src/k8s';
import { schemaErrors } from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/schemas';
import { parseAllDocuments } from 'yaml';
import { chartDir, describeWithHelm, find, render } from './__testUtils__/helm';
import { InstanceRows } from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/instanceRows';
import { startRequest, waitFor } from './__testUtils__/instances';

/**
 * The rendered chart created through the Kubernetes API simulator with
 * client-node, in dependency order (namespaces, accounts, secrets, services,
 * policies), then the worker's flow runs against that state. The simulator
 * serves only the kinds Flagstage's code touches; the others are listed here
 * so the split is explicit (a real control plane is needed for them).
 */

const NOT_SIMULATED = [
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'CronWorkflow',
  'Deployment',
  'HorizontalPodAutoscaler',
  'Ingress',
  'PodDisruptionBudget',
  'PodMonitor',
  'PrometheusRule',
  'Role',
  'RoleBinding',
  'ServiceMonitor',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'WorkflowTemplate',
];
/** Creation order of what the simulator serves. */
const ORDER = [
  'Namespace',
  'ServiceAccount',
  'Secret',
  'Service',
  'NetworkPolicy',
];

const exampleSecrets = () =>
  parseAllDocuments(
    fs.readFileSync(path.join(chartDir, 'examples/secrets.yaml'), 'utf8'),
  ).map((d, i) => ({
    source: `examples/secrets.yaml#${i}`,
    object: d.toJSON(),
  }));

describeWithHelm()('the rendered chart on the API simulator', () => {
  let sim: KubeSimulator;
  afterEach(() => sim?.close());

  it('the example Secrets are the ones the manifests reference, key by key', () => {
    const secrets = exampleSecrets();
    expect(schemaErrors(secrets)).toEqual([]);
    const have = new Set(
      secrets.flatMap(s =>
        Object.keys(s.object.stringData).map(
          k => `${s.object.metadata.namespace}/${s.object.metadata.name}:${k}`,
        ),
      ),
    );
    const refs = render(['values-production.yaml']).flatMap(m =>
      m.object.kind !== 'Deployment'
        ? []
        : m.object.spec.template.spec.containers.flatMap((c: any) =>
            (c.env ?? [])
              .filter((e: any) => e.valueFrom?.secretKeyRef)
              .map(
                (e: any) =>
                  `${m.object.metadata.namespace}/${e.valueFrom.secretKeyRef.name}:${e.valueFrom.secretKeyRef.key}`,
              ),
          ),
    );
    expect([...new Set(refs)].sort()).toEqual([...have].sort());
    expect(
      fs.readFileSync(path.join(chartDir, 'examples/secrets.yaml'), 'utf8'),
    ).not.toMatch(/password: (?!CHANGE-ME)/);
  });

  it('creates every served object server-side in dependency order, then a start runs to RUNNING against that state', async () => {
    sim = await KubeSimulator.start({ podReadyDelayMs: 50 });
    const kc = sim.kubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const net = kc.makeApiClient(NetworkingV1Api);
    const rendered = render(['values-production.yaml']).filter(
      m => !m.object.metadata.annotations?.['helm.sh/hook'],
    );
    // The operator's part: the namespaces and the Secrets.
    const namespaces = ['flagstage', 'flagstage-gateway'].map(name => ({
      source: 'operator',
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    }));
    const objects = [...namespaces, ...exampleSecrets(), ...rendered];
    expect(
      [
        ...new Set(
          objects.map(m => m.object.kind).filter(k => !ORDER.includes(k)),
        ),
      ].sort(),
    ).toEqual(NOT_SIMULATED);
    const create: Record<string, (o: any) => Promise<unknown>> = {
      Namespace: body => core.createNamespace({ body }),
      ServiceAccount: body =>
        core.createNamespacedServiceAccount({
          namespace: body.metadata.namespace,
          body,
        }),
      Secret: body =>
        core.createNamespacedSecret({
          namespace: body.metadata.namespace,
          body,
        }),
      Service: body =>
        core.createNamespacedService({
          namespace: body.metadata.namespace,
          body,
        }),
      NetworkPolicy: body =>
        net.createNamespacedNetworkPolicy({
          namespace: body.metadata.namespace,
          body,
        }),
    };
    let created = 0;
    for (const kind of ORDER)
      for (const m of objects.filter(o => o.object.kind === kind)) {
        await create[kind](m.object);
        created++;
      }
    expect(created).toBeGreaterThan(15);
    expect(
      sim.get('serviceaccounts', 'flagstage', 'flagstage-worker'),
    ).toBeDefined();
    expect(
      sim.get('serviceaccounts', 'argo', 'flagstage-deployer'),
    ).toBeDefined();
    expect(
      sim
        .list('networkpolicies', { namespace: 'flagstage-gateway' })
        .map(p => p.metadata.name)
        .sort(),
    ).toEqual(['flagstage-deny-all', 'flagstage-gateway']);

    // The worker's flow on that state, configured as the chart configures it.
    const gateway = find(rendered, 'Deployment', 'flagstage-gateway');
    const start = find(rendered, 'WorkflowTemplate', 'start-challenge');
    const gatewayNs = start.spec.arguments.parameters.find(
      (p: any) => p.name === 'gateway-namespace',
    ).value;
    expect(gateway.metadata.namespace).toBe(gatewayNs);
    const logger = mockServices.logger.mock();
    const rows = new InstanceRows();
    const driver = new KubernetesDriver({
      kubeConfig: kc,
      logger,
      argoNamespace: 'argo',
      maxRunningWorkflows: 30,
    });
    await driver.connect();
    const listener = new PodListener({
      kubeConfig: kc,
      instances: rows,
      logger,
      workflows: driver.workflowCache,
      teardown: id => driver.teardown(id),
    });
    await listener.start();
    try {
      rows.add('i1', 'DEPLOYING', 0);
      const endpoint = await driver.start(startRequest('i1'));
      expect(endpoint.target).toBe('challenge.fs-i1.svc.cluster.local:3333');
      await waitFor(() => rows.state('i1') === 'RUNNING');
      await driver.stop('i1');
      await waitFor(() => !sim.get('namespaces', undefined, 'fs-i1'));
      // The chart's objects are untouched by the flow.
      expect(
        sim.get('secrets', 'flagstage', 'flagstage-postgres'),
      ).toBeDefined();
    } finally {
      await listener.stop();
      await driver.disconnect();
    }
  }, 60_000);
});
