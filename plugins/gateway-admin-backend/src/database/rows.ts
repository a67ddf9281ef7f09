/** Row shapes of the gateway-admin tables. */
export type LimitsRow = {
  version: number;
  limits: string;
  created_by: string;
  created_at: Date | string | number;
};

export type RevocationRow = {
  id: number;
  scope: string;
  value: string;
  reason: string | null;
  created_by: string;
  created_at: Date | string | number;
};

/** Dates come back as Date (pg) or number/string (SQLite); normalise to ISO. */
export function toIso(value: Date | string | number): string {
  if (value instanceof Date || typeof value === 'number') {
    return new Date(value).toISOString();
  }
  if (/^\d+$/.test(value)) return new Date(Number(value)).toISOString();
  const iso = value.includes('T') ? value : `${value.replace(' ', 'T')}Z`;
  return new Date(iso).toISOString();
}

/** True when the error is a unique-constraint violation on PostgreSQL or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
