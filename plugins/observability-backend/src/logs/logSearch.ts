import { InputError } from '@backstage/errors';
import { buildLogQuery, type LogFilter } from './logQuery';

/** Longest time range one search may cover. */
export const MAX_RANGE_MS = 7 * 24 * 3600 * 1000;
/** The range searched when the request gives no start. */
export const DEFAULT_RANGE_MS = 3600 * 1000;
/** Lines per page when the request gives no limit. */
export const DEFAULT_LIMIT = 200;
/** Most lines per page a request may ask for. */
export const MAX_LIMIT = 1000;

/** Loki's search directions: `backward` is newest first. @public */
export type LogDirection = 'forward' | 'backward';

/** A validated log search, ready for Loki's `query_range`. @public */
export type LogSearch = {
  /** The LogQL, built by {@link buildLogQuery}. */
  query: string;
  /** Unix epoch nanoseconds, inclusive. */
  startNs: bigint;
  /** Unix epoch nanoseconds, exclusive. */
  endNs: bigint;
  limit: number;
  direction: LogDirection;
};

const NS_PER_MS = 1_000_000n;

/** One query-string parameter, at most once. */
function single(
  params: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`give ${name} once, as text`);
  return value;
}

function time(name: string, value: string): number {
  // ISO 8601 with a date and a time (Date.parse alone also takes "1" or "March 7").
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new InputError(
      `${name} must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z`,
    );
  return ms;
}

/**
 * Reads and validates a log search from query parameters: filters (see
 * {@link buildLogQuery}), `start`/`end` (ISO 8601; default the last hour up
 * to now; end after start; at most 7 days), `limit` (1–`maxLimit`, default
 * 200), `direction` (`backward`, the default, or `forward`) and `cursor` (the
 * `nextCursor` of the previous page: the nanosecond timestamp of its last
 * line; the next page continues strictly after it in the search direction).
 * Lines sharing the cursor's exact nanosecond that did not fit the previous
 * page are skipped: Loki cannot resume inside one timestamp.
 *
 * @public
 */
export function parseLogSearch(
  params: Record<string, unknown>,
  options: { now?: number; maxLimit?: number } = {},
): LogSearch {
  const filter: LogFilter = {};
  for (const key of [
    'team',
    'challenge',
    'namespace',
    'instance',
    'contains',
  ] as const) {
    const value = single(params, key);
    if (value !== undefined && value !== '') filter[key] = value;
  }
  const query = buildLogQuery(filter);

  const endRaw = single(params, 'end');
  const startRaw = single(params, 'start');
  const endMs = endRaw ? time('end', endRaw) : options.now ?? Date.now();
  const startMs = startRaw ? time('start', startRaw) : endMs - DEFAULT_RANGE_MS;
  if (endMs <= startMs) throw new InputError('end must be after start');
  if (endMs - startMs > MAX_RANGE_MS)
    throw new InputError('the time range may cover at most 7 days');

  const maxLimit = Math.min(options.maxLimit ?? MAX_LIMIT, MAX_LIMIT);
  const limitRaw = single(params, 'limit');
  const limit =
    limitRaw === undefined
      ? Math.min(DEFAULT_LIMIT, maxLimit)
      : Number(limitRaw);
  if (!/^\d+$/.test(limitRaw ?? '1') || limit < 1 || limit > maxLimit)
    throw new InputError(`limit must be a whole number from 1 to ${maxLimit}`);

  const directionRaw = single(params, 'direction') ?? 'backward';
  if (directionRaw !== 'backward' && directionRaw !== 'forward')
    throw new InputError('direction must be backward or forward');
  const direction: LogDirection = directionRaw;

  let startNs = BigInt(startMs) * NS_PER_MS;
  let endNs = BigInt(endMs) * NS_PER_MS;
  const cursor = single(params, 'cursor');
  if (cursor !== undefined && cursor !== '') {
    if (!/^\d{1,19}$/.test(cursor))
      throw new InputError('cursor must be the nextCursor of a previous page');
    const at = BigInt(cursor);
    if (at < startNs || at >= endNs)
      throw new InputError('cursor lies outside the time range');
    // Loki's start is inclusive and its end exclusive.
    if (direction === 'backward') endNs = at;
    else startNs = at + 1n;
  }
  return { query, startNs, endNs, limit, direction };
}
