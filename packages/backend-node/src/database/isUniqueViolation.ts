/**
 * True when a knex error is a unique-constraint (or primary-key) violation,
 * on PostgreSQL (SQLSTATE 23505) or SQLite (better-sqlite3's codes, or the
 * message where a driver wraps the error).
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(message)
  );
}
