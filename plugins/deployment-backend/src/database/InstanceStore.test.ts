import knexFactory, { type Knex } from 'knex';
import { migrationsDirectory } from '@flagstage/backend-node';
import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import { InstanceStore } from './InstanceStore';

const migrations = migrationsDirectory('@flagstage/plugin-deployment-backend');

describe.each(testDatabaseEngines())('InstanceStore on %s', engine => {
  let db: TestDatabase;
  let knex: Knex;
  let store: InstanceStore;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    knex =
      engine === 'sqlite'
        ? db.knex
        : knexFactory({ ...db.config, pool: { min: 0, max: 20 } });
  }, 30_000);
  afterAll(async () => {
    if (knex !== db.knex) await knex.destroy();
    await db.destroy();
  });

  it('migrates up and down', async () => {
    await knex.migrate.latest({ directory: migrations });
    expect(await knex.schema.hasTable('instances')).toBe(true);
    await knex.migrate.rollback({ directory: migrations }, true);
    expect(await knex.schema.hasTable('instances')).toBe(false);
    await knex.migrate.latest({ directory: migrations });
    store = new InstanceStore(knex);
  });

  const start = (team: string, challenge: string, cap = 3) =>
    store.create({
      contestId: `c${n}`,
      teamId: team,
      challengeRef: `challenge:default/${challenge}`,
      challengeName: challenge,
      protocol: 'http',
      requestedBy: 'test',
      ttlSeconds: 600,
      maxActivePerTeam: cap,
    });

  it('100 concurrent starts by one team for one challenge make one instance', async () => {
    n += 1;
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => start('t1', 'web')),
    );
    const made = results.filter(r => r.status === 'fulfilled');
    expect(made).toHaveLength(1);
    for (const r of results.filter(
      x => x.status === 'rejected',
    ) as PromiseRejectedResult[])
      expect(r.reason.name).toBe('ConflictError');
    expect(await knex('instances').where({ contest_id: `c${n}` })).toHaveLength(
      1,
    );
    const [{ active }] = await knex('team_instance_counts').where({
      contest_id: `c${n}`,
      team_id: 't1',
    });
    expect(Number(active)).toBe(1);
  }, 60_000);

  it('concurrent starts over the team cap: the cap holds', async () => {
    n += 1;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => start('t2', `chal-${i % 10}`, 3)),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(3);
    const rows = await knex('instances').where({
      contest_id: `c${n}`,
      team_id: 't2',
    });
    expect(rows).toHaveLength(3);
  }, 60_000);

  it('transitions are compare-and-set; ending frees the slot and the seat; the timeline records each step', async () => {
    n += 1;
    const row = await start('t3', 'web', 1);
    const racers = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.transition(row.id, ['REQUESTED'], 'QUEUED'),
      ),
    );
    expect(racers.filter(Boolean)).toHaveLength(1);
    expect(
      await store.transition(row.id, ['REQUESTED'], 'QUEUED'),
    ).toBeUndefined();
    await expect(start('t3', 'other', 1)).rejects.toThrow(
      /already has 1 active/,
    );
    await store.transition(row.id, ['QUEUED'], 'DEPLOYING');
    await store.transition(row.id, ['DEPLOYING'], 'FAILED', {
      reason: 'image pull error',
    });
    const failed = await store.get(row.id);
    expect(failed).toMatchObject({
      state: 'FAILED',
      failure_reason: 'image pull error',
      active_key: null,
    });
    // Slot and seat are free again.
    const again = await start('t3', 'web', 1);
    expect(again.id).not.toBe(row.id);
    expect(
      (await store.transitions(row.id)).map(t => `${t.from}→${t.to}`),
    ).toEqual([
      'null→REQUESTED',
      'REQUESTED→QUEUED',
      'QUEUED→DEPLOYING',
      'DEPLOYING→FAILED',
    ]);
  });

  it('extends once per expected count and keeps the last output lines', async () => {
    n += 1;
    const row = await start('t4', 'web');
    await store.transition(row.id, ['REQUESTED'], 'QUEUED');
    await store.transition(row.id, ['QUEUED'], 'DEPLOYING');
    await store.transition(row.id, ['DEPLOYING'], 'RUNNING', {
      endpoint: '127.0.0.1:1',
    });
    const next = new Date(Date.now() + 3_600_000);
    const tries = await Promise.all(
      Array.from({ length: 10 }, () => store.extend(row.id, 0, next, 'x')),
    );
    expect(tries.filter(Boolean)).toHaveLength(1);
    expect((await store.get(row.id)).extend_count).toBe(1);
    await store.appendOutput(
      row.id,
      Array.from({ length: 30 }, (_, i) => ({
        stream: 'stdout',
        line: `line ${i}`,
        at: new Date().toISOString(),
      })),
      10,
    );
    const out = await store.output(row.id, 100);
    expect(out.map(o => o.line)).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${i + 20}`),
    );
  });
});
