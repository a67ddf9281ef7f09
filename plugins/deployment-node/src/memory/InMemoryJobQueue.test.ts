import { describeJobQueueContract } from '../contract/jobQueueContract';
import { InMemoryJobQueue } from './InMemoryJobQueue';

describeJobQueueContract('in process', async options => {
  const queue = new InMemoryJobQueue(options);
  return {
    queue,
    // One process, one queue: a second worker shares it.
    worker: async () => queue,
    kill: (_worker, consumer) => consumer.cancel(),
    destroy: () => queue.close(),
  };
});
