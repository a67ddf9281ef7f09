import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { loadConfigSchema } from '@backstage/config-loader';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { configFromEnv, startGateway } from '@flagstage/gateway';
import observabilityPlugin from '@flagstage/plugin-observability-backend';
import { parse } from 'yaml';
import { freePort } from '@flagstage/test-utils';
import { describeWithHelm, find, render, repoRoot } from './__testUtils__/helm';

/**
 * The manifests against the processes they run: ports, probe paths, env var
 * names and config keys are the ones the code reads.
 */

type Json = Record<string, any>;
const all = () => render(['values-production.yaml']);
const containerOf = (ms: ReturnType<typeof all>, name: string) =>
  find(ms, 'Deployment', name).spec.template.spec.containers[0] as Json;
const readConfig = (file: string) =>
  parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));
const configText = (files: string[]) =>
  files.map(f => fs.readFileSync(path.join(repoRoot, f), 'utf8')).join('\n');
const portOf = (c: Json, name: string) =>
  c.ports.find((p: Json) => p.name === name)?.containerPort;
/** The rendered env with every Secret reference replaced by a sample value. */
const envOf = (c: Json, samples: Record<string, string> = {}) =>
  Object.fromEntries(
    c.env.map((e: Json) => [
      e.name,
      e.value ??
        samples[e.name] ??
        (e.valueFrom?.fieldRef ? 'pod-name' : 'secret'),
    ]),
  );
/** The `--config` files a container passes, the chart's overlay read from its ConfigMap. */
const configsOf = (ms: ReturnType<typeof all>, c: Json, configMap: string) =>
  c.args
    .filter((_: string, i: number) => c.args[i - 1] === '--config')
    .map((f: string) =>
      f.startsWith('/app/config/')
        ? {
            context: `ConfigMap ${configMap}`,
            data: parse(
              find(ms, 'ConfigMap', configMap).data[path.basename(f)],
            ),
          }
        : { context: f, data: readConfig(f) },
    );

describeWithHelm()('the chart against the processes', () => {
  it('backend and worker listen where the Deployments and Services say, and the probes answer on the root router', async () => {
    const ms = all();
    const backend = containerOf(ms, 'flagstage-backend');
    const worker = containerOf(ms, 'flagstage-worker');
    expect(portOf(backend, 'http')).toBe(
      readConfig('app-config.production.yaml').backend.listen.port,
    );
    expect(portOf(worker, 'http')).toBe(
      readConfig('app-config.worker.yaml').backend.listen.port,
    );
    const service = find(ms, 'Service', 'flagstage-backend');
    expect(service.spec.ports).toEqual([
      expect.objectContaining({ port: 7007, targetPort: 'http' }),
      expect.objectContaining({ port: 7009, targetPort: 'metrics' }),
    ]);
    // /metrics and /health: each process's internal listener, as its config says.
    const overlay = (configMap: string) =>
      parse(
        find(ms, 'ConfigMap', configMap).data['app-config.kubernetes.yaml'],
      );
    expect(portOf(backend, 'metrics')).toBe(
      overlay('flagstage-backend-config').observability.internal.port,
    );
    expect(portOf(worker, 'metrics')).toBe(
      overlay('flagstage-worker-config').observability.internal.port,
    );
    // Both processes serve the probes through the observability plugin at the
    // root, and /metrics only on the internal listener.
    const internalPort = await freePort();
    const test = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            observability: {
              internal: { port: internalPort, host: '127.0.0.1' },
            },
          },
        }),
      ],
    });
    try {
      for (const c of [backend, worker])
        for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe])
          expect({
            path: probe.httpGet.path,
            status: (await request(test.server).get(probe.httpGet.path)).status,
          }).toEqual({
            path: probe.httpGet.path,
            status: 200,
          });
      expect((await request(test.server).get('/metrics')).status).toBe(404);
      expect(
        (await request(`http://127.0.0.1:${internalPort}`).get('/metrics'))
          .status,
      ).toBe(200);
    } finally {
      await test.stop();
    }
  });

  it('every env var the backend and worker get is one their config files read, and the backend gets every one production needs', () => {
    const ms = all();
    const backend = containerOf(ms, 'flagstage-backend');
    const worker = containerOf(ms, 'flagstage-worker');
    const referenced = (files: string[]) =>
      new Set([...configText(files).matchAll(/\$\{(\w+)\}/g)].map(m => m[1]));
    const backendReads = referenced([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
    const workerReads = referenced([
      'app-config.yaml',
      'app-config.production.yaml',
      'app-config.worker.yaml',
    ]);
    expect(
      backend.env
        .map((e: Json) => e.name)
        .filter((n: string) => !backendReads.has(n)),
    ).toEqual([]);
    expect(
      worker.env
        .map((e: Json) => e.name)
        .filter((n: string) => !workerReads.has(n)),
    ).toEqual([]);
    // K8S_SERVICE_ACCOUNT_TOKEN stays unset on purpose: the Kubernetes plugin then uses the pod's token.
    const production = referenced(['app-config.production.yaml']);
    expect(
      [...production].filter(n => !backend.env.some((e: Json) => e.name === n)),
    ).toEqual(['K8S_SERVICE_ACCOUNT_TOKEN']);
    expect(
      worker.env.find((e: Json) => e.name === 'PORTAL_BACKEND_URL').value,
    ).toBe('http://flagstage-backend.flagstage.svc:7007');
  });

  it('the rendered app-config of each process passes the real config schema', async () => {
    const ms = all();
    const cases = [
      {
        deps: ['backend', 'app'],
        c: containerOf(ms, 'flagstage-backend'),
        map: 'flagstage-backend-config',
      },
      {
        deps: ['worker'],
        c: containerOf(ms, 'flagstage-worker'),
        map: 'flagstage-worker-config',
      },
    ];
    for (const { deps, c, map } of cases) {
      const schema = await loadConfigSchema({ dependencies: deps });
      const configs = configsOf(ms, c, map);
      expect(configs.map((x: Json) => x.context)).toContain(`ConfigMap ${map}`);
      expect(() =>
        schema.process(configs, { ignoreSchemaErrors: false }),
      ).not.toThrow();
    }
    const workerOverlay = parse(
      find(ms, 'ConfigMap', 'flagstage-worker-config').data[
        'app-config.kubernetes.yaml'
      ],
    );
    expect(workerOverlay.deploymentWorker).toMatchObject({
      driver: 'kubernetes',
      concurrency: 8,
      kubernetes: { argoNamespace: 'argo', maxRunningWorkflows: 30 },
    });
    const backendOverlay = parse(
      find(ms, 'ConfigMap', 'flagstage-backend-config').data[
        'app-config.kubernetes.yaml'
      ],
    );
    expect(backendOverlay.deployment.gateway.tcpHost).toBe(
      'tcp.play.example.org',
    );
    // Only the worker Deployment consumes deploy jobs.
    expect(backendOverlay.deploymentWorker).toEqual({ enabled: false });
  }, 180_000);

  it('the gateway reads exactly the env the Deployment sets, on the ports its Services name, and drains within the grace period', async () => {
    const ms = all();
    const deployment = find(ms, 'Deployment', 'flagstage-gateway');
    const c = deployment.spec.template.spec.containers[0];
    const env = envOf(c, {
      GATEWAY_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      GATEWAY_REDIS_URL: '',
    });
    const read = new Set<string>();
    const recording = new Proxy(env, {
      get: (t, k: string) => {
        read.add(k);
        return t[k];
      },
    });
    const config = configFromEnv(recording as NodeJS.ProcessEnv);
    expect(Object.keys(env).filter(k => !read.has(k))).toEqual([]);
    expect([config.httpPort, config.tcpPort, config.adminPort]).toEqual(
      ['http', 'tcp', 'admin'].map(n => portOf(c, n)),
    );
    expect(config.domain).toBe('play.example.org');
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(
      config.drainSeconds + 10,
    );
    const svc = find(ms, 'Service', 'flagstage-gateway');
    expect(svc.spec.ports.map((p: Json) => p.targetPort)).toEqual([
      'http',
      'admin',
    ]);
    expect(
      find(ms, 'Service', 'flagstage-gateway-tcp').spec.ports.map(
        (p: Json) => p.targetPort,
      ),
    ).toEqual(['tcp']);
    // The probes answer on the admin port of a real gateway.
    const gateway = await startGateway({
      ...config,
      httpPort: 0,
      tcpPort: 0,
      adminPort: 0,
      httpHost: '127.0.0.1',
      tcpHost: '127.0.0.1',
      adminHost: '127.0.0.1',
      redisUrl: undefined,
      drainSeconds: 0,
    });
    try {
      for (const probe of [c.livenessProbe, c.readinessProbe]) {
        expect(probe.httpGet.port).toBe('admin');
        const res = await fetch(
          `http://127.0.0.1:${gateway.addresses.admin}${probe.httpGet.path}`,
        );
        expect({ path: probe.httpGet.path, status: res.status }).toEqual({
          path: probe.httpGet.path,
          status: 200,
        });
      }
    } finally {
      await gateway.stop();
    }
  });

  it('the observability monitors find the pods and ports the chart makes', () => {
    const ms = all();
    const labelsOf = (name: string) =>
      find(ms, 'Deployment', name).spec.template.metadata.labels;
    for (const kind of ['ServiceMonitor', 'PodMonitor']) {
      for (const m of ms.filter(x => x.object.kind === kind)) {
        const { selector, namespaceSelector } = m.object.spec;
        const name = selector.matchLabels['app.kubernetes.io/name'];
        const deployment = find(ms, 'Deployment', name);
        expect(labelsOf(name)).toMatchObject(selector.matchLabels);
        expect(namespaceSelector.matchNames).toEqual([
          deployment.metadata.namespace,
        ]);
        const port = (m.object.spec.endpoints ??
          m.object.spec.podMetricsEndpoints)[0].port;
        const ports =
          kind === 'PodMonitor'
            ? deployment.spec.template.spec.containers[0].ports.map(
                (p: Json) => p.name,
              )
            : find(ms, 'Service', name).spec.ports.map((p: Json) => p.name);
        expect(ports).toContain(port);
      }
    }
    const dashboards = ms.filter(
      m => m.object.metadata.labels?.grafana_dashboard === '1',
    );
    const files = fs.readdirSync(
      path.join(repoRoot, 'observability/grafana/dashboards'),
    );
    expect(dashboards.map(m => Object.keys(m.object.data)[0]).sort()).toEqual(
      files.sort(),
    );
    for (const d of dashboards) {
      const [file, text] = Object.entries(d.object.data)[0] as [string, string];
      expect(JSON.parse(text)).toEqual(
        JSON.parse(
          fs.readFileSync(
            path.join(repoRoot, 'observability/grafana/dashboards', file),
            'utf8',
          ),
        ),
      );
    }
    expect(
      find(ms, 'ConfigMap', 'flagstage-alloy').data['config.alloy'].trim(),
    ).toBe(
      fs
        .readFileSync(
          path.join(repoRoot, 'observability/alloy/config.alloy'),
          'utf8',
        )
        .trim(),
    );
    const rule = find(ms, 'PrometheusRule', 'flagstage');
    const source = parse(
      fs.readFileSync(
        path.join(
          repoRoot,
          'observability/prometheus/rules/flagstage.rules.yaml',
        ),
        'utf8',
      ),
    );
    expect(rule.spec).toEqual(source.spec);
  });
});
