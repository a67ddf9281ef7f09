/**
 * Flagstage deployment node library: the job queue and its service ref.
 *
 * @packageDocumentation
 */
export {
  InMemoryJobQueue,
  type InMemoryJobQueueOptions,
} from './memory/InMemoryJobQueue';
export {
  AmqpJobQueue,
  type AmqpJobQueueOptions,
  type AmqpJobQueueTopology,
  type JobQueueLogger,
} from './amqp/AmqpJobQueue';
export { createJobQueue, type JobQueueConfig } from './createJobQueue';
export { jobQueueServiceRef } from './jobQueueServiceRef';
export {
  jobQueueHealthCheck,
  observabilityModuleJobQueue,
} from './observabilityModuleJobQueue';
