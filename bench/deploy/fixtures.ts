/* The deploy benchmark's challenge entity and broker clean-up. */
import * as amqp from 'amqplib';

export const AMQP_URL =
  process.env.FLAGSTAGE_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** An instanced HTTP challenge named `name`, as the catalog would return it. */
export const challengeEntity = (name: string) => ({
  apiVersion: 'flagstage.io/v1alpha1',
  kind: 'Challenge',
  metadata: { name, namespace: 'default' },
  spec: {
    owner: 'group:default/ctf-authors',
    category: 'web',
    type: 'instanced',
    difficulty: 'easy',
    scoring: { function: 'static', value: 100 },
    flags: [{ kind: 'dynamic', prefix: 'flagstage' }],
    runtime: {
      protocol: 'http',
      port: 3333,
      ttlSeconds: 3600,
      image: `registry.example/${name}:1`,
    },
  },
});

/** Removes the benchmark's exchanges and queues from the broker. */
export async function deleteQueues(prefix: string) {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const q of ['deployment_queue', 'deployment_dead'])
    await ch.deleteQueue(`${prefix}${q}`).catch(() => {});
  for (const e of ['deployment_exchange', 'deployment_dlx'])
    await ch.deleteExchange(`${prefix}${e}`).catch(() => {});
  await conn.close();
}
