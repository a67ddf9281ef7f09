import { toBool, toEpochMs, toIso } from './dates';

describe('toIso', () => {
  it.each([
    ['a Date (pg)', new Date('2026-11-22T12:00:00.000Z')],
    ['epoch ms (SQLite)', Date.parse('2026-11-22T12:00:00.000Z')],
    ['epoch ms as a string', String(Date.parse('2026-11-22T12:00:00.000Z'))],
    ['an ISO string', '2026-11-22T12:00:00.000Z'],
    ["SQLite's CURRENT_TIMESTAMP (UTC)", '2026-11-22 12:00:00'],
  ])('normalises %s', (_what, value) => {
    expect(toIso(value)).toBe('2026-11-22T12:00:00.000Z');
  });

  it('keeps null and undefined as null', () => {
    expect(toIso(null)).toBeNull();
    expect(toIso(undefined)).toBeNull();
  });

  it('refuses what is no timestamp instead of returning Invalid Date', () => {
    expect(() => toIso('yesterday-ish')).toThrow(RangeError);
  });

  it('gives epoch milliseconds', () => {
    expect(toEpochMs('2026-11-22 12:00:00')).toBe(
      Date.parse('2026-11-22T12:00:00Z'),
    );
    expect(toEpochMs(null)).toBeNull();
  });
});

describe('toBool', () => {
  it('reads SQLite 0/1 and PostgreSQL booleans', () => {
    expect(toBool(1)).toBe(true);
    expect(toBool(true)).toBe(true);
    expect(toBool(0)).toBe(false);
    expect(toBool(null)).toBe(false);
  });
});
