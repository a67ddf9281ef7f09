import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { JobQueue } from '@flagstage/plugin-deployment-common';
import { createJobQueue } from './createJobQueue';

/**
 * The deployment job queue, one per backend process (root scope): the
 * deployment plugin publishes and the worker consumes through the same
 * instance, so the in-process queue works when both run in one backend.
 * Configured by `deployment.queue` (RabbitMQ when `amqpUrl` is set).
 *
 * @public
 */
export const jobQueueServiceRef = createServiceRef<JobQueue>({
  id: 'flagstage.deployment.job-queue',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.rootLifecycle,
        logger: coreServices.rootLogger,
      },
      async factory({ config, lifecycle, logger }) {
        const q = config.getOptionalConfig('deployment.queue');
        const queue = await createJobQueue({
          amqpUrl: q?.getOptionalString('amqpUrl') || undefined,
          prefix: q?.getOptionalString('prefix') ?? '',
          deliveryLimit: q?.getOptionalNumber('deliveryLimit') ?? 5,
          maxLength: q?.getOptionalNumber('maxLength') ?? 10000,
          defaultExpiryMs:
            (q?.getOptionalNumber('expirySeconds') ?? 120) * 1000,
          logger: logger.child({ service: 'deployment-job-queue' }),
        });
        lifecycle.addShutdownHook(() => queue.close());
        return queue;
      },
    }),
});
