import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  healthChecksExtensionPoint,
  runHealthChecks,
  type HealthCheck,
} from '@flagstage/plugin-observability-node';
import {
  jobQueueHealthCheck,
  observabilityModuleJobQueue,
} from './observabilityModuleJobQueue';

/** Stands in for the observability plugin: keeps what modules add. */
function fakeObservabilityPlugin(added: HealthCheck[]) {
  return createBackendPlugin({
    pluginId: 'observability',
    register(env) {
      env.registerExtensionPoint(healthChecksExtensionPoint, {
        addHealthCheck: (...checks) => void added.push(...checks),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('observabilityModuleJobQueue', () => {
  it("adds the queue's depth to the observability plugin's checks", async () => {
    const added: HealthCheck[] = [];
    const backend = await startTestBackend({
      features: [fakeObservabilityPlugin(added), observabilityModuleJobQueue],
    });
    try {
      const report = await runHealthChecks(added, {
        service: 'test',
        version: '0',
      });
      expect(report.dependencies).toEqual({
        queue: {
          status: 'ok',
          critical: false,
          latencyMs: expect.any(Number),
          detail: 'in-process; ready 0, dead 0',
        },
      });
    } finally {
      await backend.stop();
    }
  });

  it('names the transport and throws when the queue does not answer', async () => {
    const up = jobQueueHealthCheck(
      { depth: async () => ({ ready: 3, dead: 1 }) } as any,
      'rabbitmq',
    );
    await expect(up.check()).resolves.toBe('rabbitmq; ready 3, dead 1');
    const down = jobQueueHealthCheck(
      {
        depth: async () => {
          throw new Error('channel closed');
        },
      } as any,
      'rabbitmq',
    );
    await expect(down.check()).rejects.toThrow('channel closed');
  });
});
