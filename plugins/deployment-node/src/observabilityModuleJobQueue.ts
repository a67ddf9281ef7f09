import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { JobQueue } from '@flagstage/plugin-deployment-common';
import {
  healthChecksExtensionPoint,
  type HealthCheck,
} from '@flagstage/plugin-observability-node';
import { jobQueueServiceRef } from './jobQueueServiceRef';

/** The queue's depth as a non-critical dependency check, named by its transport. */
export function jobQueueHealthCheck(
  queue: JobQueue,
  transport: 'rabbitmq' | 'in-process',
): HealthCheck {
  return {
    name: 'queue',
    critical: false,
    check: async () => {
      const depth = await queue.depth();
      return `${transport}; ready ${depth.ready}, dead ${depth.dead}`;
    },
  };
}

/**
 * Adds the deployment job queue to the observability plugin's `/health`
 * (its depth; down when the broker does not answer). Lives with the queue,
 * so the observability plugin does not depend on the deployment packages.
 *
 * @public
 */
export const observabilityModuleJobQueue = createBackendModule({
  pluginId: 'observability',
  moduleId: 'deployment-job-queue',
  register(env) {
    env.registerInit({
      deps: {
        checks: healthChecksExtensionPoint,
        queue: jobQueueServiceRef,
        config: coreServices.rootConfig,
      },
      async init({ checks, queue, config }) {
        const amqp = config.getOptionalString('deployment.queue.amqpUrl');
        checks.addHealthCheck(
          jobQueueHealthCheck(queue, amqp ? 'rabbitmq' : 'in-process'),
        );
      },
    });
  },
});
