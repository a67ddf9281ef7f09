import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '@flagstage/test-utils';
import { insertBareContest, migratedKnex } from '../__testUtils__/fixtures';
import { SESSION_TTL_MS, SessionStore } from './SessionStore';

describe('SessionStore', () => {
  let db: TestDatabase;
  let knex: Knex;
  let store: SessionStore;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    knex = await migratedKnex(db);
    await insertBareContest(knex);
    await knex('contestants').insert({
      id: 'p1',
      contest_id: 'c1',
      username: 'p',
      username_key: 'p',
      password_hash: 'x',
    });
    store = new SessionStore(knex);
  });
  afterAll(() => db.destroy());

  it('stores only the token hash, resolves live sessions, expires and revokes them', async () => {
    const t0 = new Date('2026-11-22T00:00:00Z');
    const token = await store.create('p1', t0);
    expect(token.length).toBeGreaterThanOrEqual(43);
    const rows = await knex('contestant_sessions');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await store.resolve(token, t0)).toBe('p1');
    expect(await store.resolve(`${token}x`, t0)).toBeUndefined();
    expect(await store.resolve(undefined, t0)).toBeUndefined();
    expect(
      await store.resolve(token, new Date(t0.getTime() + SESSION_TTL_MS + 1)),
    ).toBeUndefined();

    const other = await store.create('p1', t0);
    await store.revoke(token);
    expect(await store.resolve(token, t0)).toBeUndefined();
    expect(await store.resolve(other, t0)).toBe('p1');
    await store.revokeAllFor('p1');
    expect(await store.resolve(other, t0)).toBeUndefined();
  });
});
