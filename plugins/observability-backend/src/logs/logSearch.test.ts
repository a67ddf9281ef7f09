import { parseLogSearch } from './logSearch';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('parseLogSearch', () => {
  it('defaults to the last hour up to now, 200 lines, newest first', () => {
    expect(parseLogSearch({ team: 't1' }, { now: NOW })).toEqual({
      query: '{flagstage_team="t1"}',
      startNs: ns('2026-03-01T11:00:00Z'),
      endNs: ns('2026-03-01T12:00:00Z'),
      limit: 200,
      direction: 'backward',
    });
  });

  it('takes start, end, limit, direction and ignores empty filters', () => {
    expect(
      parseLogSearch(
        {
          challenge: 'web',
          team: '',
          start: '2026-02-22T12:00:00Z',
          end: '2026-03-01T12:00:00.000Z',
          limit: '1000',
          direction: 'forward',
        },
        { now: NOW },
      ),
    ).toEqual({
      query: '{flagstage_challenge="web"}',
      startNs: ns('2026-02-22T12:00:00Z'),
      endNs: ns('2026-03-01T12:00:00Z'),
      limit: 1000,
      direction: 'forward',
    });
  });

  it('continues after the cursor: backward ends at it (exclusive), forward starts just after it', () => {
    const base = {
      team: 't1',
      start: '2026-03-01T11:00:00Z',
      end: '2026-03-01T12:00:00Z',
    };
    const cursor = (ns('2026-03-01T11:30:00Z') + 7n).toString();
    const back = parseLogSearch({ ...base, cursor }, { now: NOW });
    expect(back.endNs.toString()).toBe(cursor);
    expect(back.startNs).toBe(ns(base.start));
    const fwd = parseLogSearch(
      { ...base, cursor, direction: 'forward' },
      { now: NOW },
    );
    expect(fwd.startNs).toBe(BigInt(cursor) + 1n);
    expect(fwd.endNs).toBe(ns(base.end));
  });

  it('caps the limit at the configured maximum', () => {
    expect(
      parseLogSearch({ team: 't1' }, { now: NOW, maxLimit: 50 }).limit,
    ).toBe(50);
    expect(() =>
      parseLogSearch({ team: 't1', limit: '51' }, { now: NOW, maxLimit: 50 }),
    ).toThrow('limit must be a whole number from 1 to 50');
  });

  it.each([
    [{ start: 'yesterday' }, /start must be an ISO 8601 time/],
    [{ end: '1700000000' }, /end must be an ISO 8601 time/],
    [
      { start: '2026-03-01T12:00:00Z', end: '2026-03-01T12:00:00Z' },
      /end must be after start/,
    ],
    [
      { start: '2026-03-01T13:00:00Z', end: '2026-03-01T12:00:00Z' },
      /end must be after start/,
    ],
    [
      { start: '2026-02-22T11:59:59Z', end: '2026-03-01T12:00:00Z' },
      /at most 7 days/,
    ],
    [{ limit: '0' }, /limit must be a whole number from 1 to 1000/],
    [{ limit: '1001' }, /limit must be/],
    [{ limit: '10.5' }, /limit must be/],
    [{ limit: 'ten' }, /limit must be/],
    [{ direction: 'sideways' }, /direction must be backward or forward/],
    [{ cursor: 'abc' }, /cursor must be the nextCursor/],
    [{ cursor: '1' }, /cursor lies outside the time range/],
    [{ team: ['a', 'b'] }, /give team once/],
  ])('refuses %j', (params, message) => {
    expect(() =>
      parseLogSearch({ team: 't1', ...params }, { now: NOW }),
    ).toThrow(message);
  });
});
