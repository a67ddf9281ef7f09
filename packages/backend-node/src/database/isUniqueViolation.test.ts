import { createTestDatabase, testDatabaseEngines } from '@flagstage/test-utils';
import { isUniqueViolation } from './isUniqueViolation';

describe('isUniqueViolation', () => {
  it.each(testDatabaseEngines())(
    'recognises a real duplicate key on %s and nothing else',
    async engine => {
      const db = await createTestDatabase(engine);
      try {
        await db.knex.schema.createTable('t', table => {
          table.string('id').primary();
          table.string('name').unique();
          table.integer('n').notNullable();
        });
        await db.knex('t').insert({ id: 'a', name: 'x', n: 1 });
        const duplicate = await db
          .knex('t')
          .insert({ id: 'b', name: 'x', n: 1 })
          .catch(e => e);
        const duplicateKey = await db
          .knex('t')
          .insert({ id: 'a', name: 'y', n: 1 })
          .catch(e => e);
        const notNull = await db
          .knex('t')
          .insert({ id: 'c', name: 'z', n: null })
          .catch(e => e);
        expect(isUniqueViolation(duplicate)).toBe(true);
        expect(isUniqueViolation(duplicateKey)).toBe(true);
        expect(isUniqueViolation(notNull)).toBe(false);
      } finally {
        await db.destroy();
      }
    },
  );

  it('is false for things that are no database error', () => {
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
  });
});
