import type { JobQueue } from '@flagstage/plugin-deployment-common';
import { InMemoryJobQueue } from './memory/InMemoryJobQueue';
import { AmqpJobQueue, type JobQueueLogger } from './amqp/AmqpJobQueue';

/** Options of {@link createJobQueue}. @public */
export type JobQueueConfig = {
  amqpUrl?: string;
  prefix?: string;
  deliveryLimit?: number;
  maxLength?: number;
  defaultExpiryMs?: number;
  /** RabbitMQ `connection_name` (shown by `rabbitmqctl list_connections`). */
  connectionName?: string;
  /** Connection loss and recovery are logged here (RabbitMQ only). */
  logger?: JobQueueLogger;
};

/**
 * RabbitMQ when `amqpUrl` is set (connected, topology declared; rejects if
 * the broker cannot be reached within a few seconds), else the in-process
 * queue.
 *
 * @public
 */
export async function createJobQueue(
  config: JobQueueConfig,
): Promise<JobQueue> {
  if (config.amqpUrl) {
    return AmqpJobQueue.connect({
      url: config.amqpUrl,
      prefix: config.prefix,
      deliveryLimit: config.deliveryLimit,
      maxLength: config.maxLength,
      defaultExpiryMs: config.defaultExpiryMs,
      connectionName: config.connectionName,
      logger: config.logger,
    });
  }
  return new InMemoryJobQueue(config);
}
