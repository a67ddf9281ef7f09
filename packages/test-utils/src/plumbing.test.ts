import knexFactory from 'knex';
import { TestCaches } from '@backstage/backend-test-utils';
import { createTestDatabase, testDatabaseEngines } from './databases';
import { createTestAmqp } from './amqp';
import { createTestRedisCache } from './cache';
import {
  backstageTestIds,
  describeWithServices,
  testServiceUrls,
} from './services';

jest.setTimeout(30_000);

/** Rows of pg_database still naming a test database after its destroy(). */
async function postgresDatabasesAfterDestroy() {
  const db = await createTestDatabase('postgres');
  await db.destroy();
  const name = new URL(db.config.connection).pathname.slice(1);
  const admin = knexFactory({
    client: 'pg',
    connection: testServiceUrls.postgres,
  });
  try {
    return await admin('pg_database')
      .where({ datname: name })
      .select('datname');
  } finally {
    await admin.destroy();
  }
}

describe.each(testDatabaseEngines())('createTestDatabase(%s)', engine => {
  it('gives an empty, writable database that destroy() removes', async () => {
    const db = await createTestDatabase(engine);
    await db.knex.schema.createTable('probe', t => {
      t.increments('id');
      t.string('name').notNullable().unique();
    });
    await db.knex('probe').insert({ name: 'a' });
    await expect(db.knex('probe').insert({ name: 'a' })).rejects.toThrow(
      /unique|UNIQUE/,
    );
    expect(await db.knex('probe').count({ n: '*' })).toEqual([
      { n: engine === 'postgres' ? '1' : 1 },
    ]);
    await db.destroy();
  });

  if (engine === 'postgres') {
    it('drops the PostgreSQL database on destroy()', async () => {
      expect(await postgresDatabasesAfterDestroy()).toEqual([]);
    });
  }
});

describeWithServices(['redis'])('createTestRedisCache', () => {
  it('stores through the Backstage cache service on Redis, isolated per suite', async () => {
    const a = createTestRedisCache();
    const b = createTestRedisCache();
    expect(a.keyPrefix).not.toBe(b.keyPrefix);
    await a.cache.set('k', { n: 1 }, { ttl: 60_000 });
    expect(await a.cache.get('k')).toEqual({ n: 1 });
    expect(await b.cache.get('k')).toBeUndefined();
    await a.cache.delete('k');
    expect(await a.cache.get('k')).toBeUndefined();
  });
});

describeWithServices(['redis'])('Backstage TestCaches', () => {
  const caches = TestCaches.create({ ids: [backstageTestIds.redis] });
  it('reaches the Redis of FLAGSTAGE_TEST_REDIS_URL', async () => {
    const { store, connection } = await caches.init(backstageTestIds.redis);
    expect({ store, connection }).toEqual({
      store: 'redis',
      connection: testServiceUrls.redis,
    });
  });
});

describeWithServices(['rabbitmq'])('createTestAmqp', () => {
  it('declares prefixed queues on the real broker and deletes them on cleanup', async () => {
    const amqp = await createTestAmqp();
    const queue = amqp.queue('jobs');
    expect(queue.startsWith(amqp.prefix)).toBe(true);
    const channel = await amqp.connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: false });
    channel.sendToQueue(queue, Buffer.from('hello'));
    await channel.waitForConfirms();
    const msg = await channel.get(queue, { noAck: true });
    expect(msg && msg.content.toString()).toBe('hello');
    await channel.close();
    await amqp.cleanup();

    const other = await createTestAmqp();
    const check = await other.connection.createChannel();
    const closed = new Promise(resolve => check.on('error', resolve));
    await expect(check.checkQueue(queue)).rejects.toThrow(/NOT_FOUND/);
    await closed;
    await other.connection.close();
  });
});
