import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from './databases';
import { expectMigrationsUpAndDown } from './migrations';

/** A migrations folder with one migration; `down` drops the table unless told not to. */
function migrationsFolder(dropOnDown: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagstage-migrations-'));
  fs.writeFileSync(
    path.join(dir, '20260101000000_probe.js'),
    `exports.up = knex => knex.schema.createTable('probe', t => t.increments('id'));
exports.down = knex => ${
      dropOnDown ? "knex.schema.dropTable('probe')" : 'Promise.resolve()'
    };`,
  );
  return dir;
}

describe('expectMigrationsUpAndDown', () => {
  it('passes for migrations that go up and down cleanly', async () => {
    const db = await createTestDatabase('sqlite');
    const directory = migrationsFolder(true);
    await expectMigrationsUpAndDown(db.knex, { directory, tables: ['probe'] });
    expect(await db.knex.schema.hasTable('probe')).toBe(true);
    await db.destroy();
    fs.rmSync(directory, { recursive: true });
  });

  it('fails, naming the table, when a down migration leaves it behind', async () => {
    const db = await createTestDatabase('sqlite');
    const directory = migrationsFolder(false);
    await expect(
      expectMigrationsUpAndDown(db.knex, { directory, tables: ['probe'] }),
    ).rejects.toThrow(/probe/);
    await db.destroy();
    fs.rmSync(directory, { recursive: true });
  });
});
