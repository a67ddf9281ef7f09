import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import { freePort } from '@flagstage/test-utils';
import { observabilityPlugin } from './plugin';

describe('observability plugin', () => {
  it('serves /healthz, /readyz on the public port, /health with each dependency and /metrics with process metrics on the internal one only', async () => {
    const port = await freePort();
    const backend = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: { observability: { internal: { port, host: '127.0.0.1' } } },
        }),
      ],
    });
    const server = backend.server;
    const internal = `http://127.0.0.1:${port}`;
    try {
      // Public: the probes only. /health and /metrics tell more than a probe needs.
      expect((await request(server).get('/health')).status).toBe(404);
      expect((await request(server).get('/metrics')).status).toBe(404);
      expect((await request(internal).get('/healthz')).status).toBe(200);
      expect((await request(internal).get('/readyz')).status).toBe(200);
      expect((await request(server).get('/healthz')).body).toEqual({
        status: 'ok',
      });
      const ready = await request(server).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ready');
      const health = await request(internal).get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: 'ok',
        dependencies: {
          database: { status: 'ok', critical: true },
          cache: { status: 'ok' },
          // The queue's check is a module's: see @flagstage/plugin-deployment-node.
          kubernetes: { status: 'disabled' },
        },
      });
      expect(health.body.uptimeSeconds).toBeGreaterThanOrEqual(0);
      expect(typeof health.body.dependencies.database.latencyMs).toBe('number');
      const metrics = await request(internal).get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('process_cpu_user_seconds_total');
      expect(metrics.text).toContain('nodejs_eventloop_lag_seconds');
      // The log views are mounted, behind auth, and say when nothing is configured.
      expect(
        (await request(server).get('/api/observability/logs/loki')).status,
      ).toBe(401);
      const noLoki = await request(server)
        .get('/api/observability/logs/loki')
        .set('Authorization', mockCredentials.service.header());
      expect(noLoki.status).toBe(404);
      expect(noLoki.body.error.message).toMatch(/no Loki configured/);
    } finally {
      await backend.stop();
    }
  });

  it('checks the Kubernetes API when the worker uses a cluster, and reports it down (degraded) when it does not answer', async () => {
    const sim = await KubeSimulator.start();
    const port = await freePort();
    const backend = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.rootConfig.factory({
          data: {
            observability: { internal: { port, host: '127.0.0.1' } },
            kubernetes: sim.kubernetesConfig(),
            deploymentWorker: {
              driver: 'kubernetes',
              kubernetes: { cluster: 'simulator' },
            },
          },
        }),
      ],
    });
    const server = backend.server;
    try {
      // The simulator does not serve /version: the check reports it down, and
      // the service stays ready (Kubernetes is not critical for the portal).
      const health = await request(`http://127.0.0.1:${port}`).get('/health');
      expect(health.body.status).toBe('degraded');
      expect(health.body.dependencies.kubernetes.status).toBe('down');
      expect((await request(server).get('/readyz')).status).toBe(200);
    } finally {
      await backend.stop();
      await sim.close();
    }
  });
});
