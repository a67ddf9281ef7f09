import type { Channel } from 'amqplib';

/** The names {@link AmqpJobQueue} declares. @public */
export type AmqpJobQueueTopology = {
  exchange: string;
  queue: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
  routingKey: string;
};

/** The one routing key of the deployment exchanges. */
export const ROUTING_KEY = 'deploy';

/** The exchange and queue names under `prefix`. */
export function topologyNames(prefix: string): AmqpJobQueueTopology {
  return {
    exchange: `${prefix}deployment_exchange`,
    queue: `${prefix}deployment_queue`,
    deadLetterExchange: `${prefix}deployment_dlx`,
    deadLetterQueue: `${prefix}deployment_dead`,
    routingKey: ROUTING_KEY,
  };
}

/**
 * Declares (idempotently) the direct exchange, the quorum queue with its
 * delivery limit, length limit and dead-letter exchange, and the dead-letter
 * queue.
 */
export async function declareTopology(
  ch: Channel,
  t: AmqpJobQueueTopology,
  limits: { deliveryLimit: number; maxLength: number },
) {
  await ch.assertExchange(t.exchange, 'direct', { durable: true });
  await ch.assertExchange(t.deadLetterExchange, 'direct', { durable: true });
  await ch.assertQueue(t.deadLetterQueue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await ch.bindQueue(t.deadLetterQueue, t.deadLetterExchange, ROUTING_KEY);
  await ch.assertQueue(t.queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      // RabbitMQ dead-letters once a message was returned *more* than
      // x-delivery-limit times (measured on 3.10: limit 2 → 3 deliveries).
      'x-delivery-limit': limits.deliveryLimit - 1,
      'x-dead-letter-exchange': t.deadLetterExchange,
      'x-dead-letter-routing-key': ROUTING_KEY,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
      'x-max-length': limits.maxLength,
    },
  });
  await ch.bindQueue(t.queue, t.exchange, ROUTING_KEY);
}
