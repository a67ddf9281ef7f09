import type { Knex } from 'knex';
import { isUniqueViolation } from '@flagstage/backend-node';

/** Inserts a row; false (nothing inserted) when a unique constraint refuses it. */
export async function insertUnique(
  db: Knex,
  table: string,
  row: object,
): Promise<boolean> {
  try {
    await db(table).insert(row);
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}
