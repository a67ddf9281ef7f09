/**
 * Solve and penalty times on the scoreboard: canonical ISO strings, so that
 * times compare as strings without parsing.
 */

/** `toISOString` form for years 0000–9999; such strings sort chronologically. */
const CANONICAL_ISO =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `s` is a valid time in `YYYY-MM-DDTHH:mm:ss.sssZ` form. */
function isCanonicalIso(s: string): boolean {
  if (!CANONICAL_ISO.test(s)) {
    return false;
  }
  const day = Number(s.slice(8, 10));
  if (day <= 28) {
    return true;
  }
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]);
}

/**
 * A time as a canonical ISO string (see {@link isCanonicalIso}), so
 * that times compare as strings without parsing; undefined if invalid.
 */
export function canonicalTime(
  time: string | Date | number,
): string | undefined {
  if (typeof time === 'string' && isCanonicalIso(time)) {
    return time;
  }
  let ms: number;
  if (typeof time === 'number') {
    ms = time;
  } else if (time instanceof Date) {
    ms = time.getTime();
  } else {
    ms = Date.parse(time);
  }
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    return undefined;
  }
  const iso = new Date(ms).toISOString();
  return iso.length === 24 ? iso : undefined;
}

/** Whether time `a` is earlier than `b`; invalid times are latest. */
export function earlier(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && (b === undefined || a < b);
}
