/** What a timestamp column gives back: a Date (pg), a string or a number of ms (SQLite). */
export type DbTimestamp = Date | string | number;

/**
 * Normalises a timestamp read from PostgreSQL or SQLite to an ISO-8601 UTC
 * string: a Date, epoch milliseconds (as a number or a string of digits), an
 * ISO string, or SQLite's `YYYY-MM-DD HH:MM:SS[.fff]` (which is UTC).
 * `null`/`undefined` stay `null`; anything unparseable throws, so a bad row
 * never turns into "Invalid Date" silently.
 */
export function toIso(value: DbTimestamp): string;
export function toIso(value: DbTimestamp | null | undefined): string | null;
export function toIso(value: DbTimestamp | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a timestamp: ${String(value)}`);
  }
  return date.toISOString();
}

function toDate(value: DbTimestamp): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (/^\d+$/.test(value)) return new Date(Number(value));
  if (value.includes('T')) return new Date(value);
  return new Date(`${value.replace(' ', 'T')}Z`);
}

/** Epoch milliseconds of a timestamp column value (see {@link toIso}). */
export function toEpochMs(value: DbTimestamp): number;
export function toEpochMs(value: DbTimestamp | null | undefined): number | null;
export function toEpochMs(
  value: DbTimestamp | null | undefined,
): number | null {
  const iso = toIso(value);
  return iso === null ? null : Date.parse(iso);
}

/** SQLite stores booleans as 0/1; PostgreSQL gives booleans. */
export function toBool(value: boolean | number | null | undefined): boolean {
  return value === true || value === 1;
}
