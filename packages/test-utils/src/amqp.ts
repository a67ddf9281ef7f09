import * as amqp from 'amqplib';
import { testServiceUrls, uniqueTestId } from './services';

/** A RabbitMQ connection with a name prefix owned by one suite. @public */
export type TestAmqp = {
  url: string;
  prefix: string;
  connection: amqp.ChannelModel;
  /** Prefixes a queue or exchange name and remembers it for cleanup. */
  queue(name: string): string;
  exchange(name: string): string;
  /** Deletes every queue and exchange named through this object, then disconnects. */
  cleanup(): Promise<void>;
};

/** Connects to RabbitMQ and reserves a unique `flagstage-test-<id>.` name prefix. @public */
export async function createTestAmqp(): Promise<TestAmqp> {
  const url = testServiceUrls.rabbitmq;
  const prefix = `flagstage-test-${uniqueTestId()}.`;
  const connection = await amqp.connect(url);
  const queues = new Set<string>();
  const exchanges = new Set<string>();
  return {
    url,
    prefix,
    connection,
    queue(name) {
      queues.add(prefix + name);
      return prefix + name;
    },
    exchange(name) {
      exchanges.add(prefix + name);
      return prefix + name;
    },
    async cleanup() {
      const channel = await connection.createChannel();
      for (const q of queues) await channel.deleteQueue(q);
      for (const e of exchanges) await channel.deleteExchange(e);
      await channel.close();
      await connection.close();
    },
  };
}
