import type { Config } from '@backstage/config';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import type { LogSearch } from './logSearch';

/** One log line as the log views answer it. @public */
export type LogItem = {
  /** Unix epoch nanoseconds as Loki gives it (a decimal string: lossless). */
  timestamp: string;
  line: string;
  /** The labels of the line's stream. */
  labels: Record<string, string>;
};

/** A page of log lines. @public */
export type LogPage = {
  items: LogItem[];
  /**
   * The `cursor` for the next page in the same direction: the timestamp of
   * the page's last line when the page is full, otherwise null (no more lines
   * in the range now).
   */
  nextCursor: string | null;
};

/** Options of {@link LokiClient}. @public */
export type LokiClientOptions = {
  /**
   * Loki's base URL, e.g. http://loki-gateway.monitoring:80; user info in it
   * (`https://user:password@host`) is sent as basic auth when there is no token.
   */
  baseUrl: string;
  /** `X-Scope-OrgID` for a multi-tenant Loki. */
  tenant?: string;
  /** Bearer token; sent to Loki only, never logged nor answered. */
  token?: string;
  /** Most lines a search may ask for (at most 1000). Default 1000. */
  maxLimit?: number;
  /** How long to wait for Loki. Default 15 s. */
  timeoutMs?: number;
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
};

type LokiStreams = {
  status?: string;
  data?: {
    resultType?: string;
    result?: { stream?: Record<string, string>; values?: unknown[][] }[];
  };
};

/** Loki's error text: JSON `{error|message}` on newer versions, plain text on older. */
function lokiMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const msg = parsed.error ?? parsed.message;
    if (typeof msg === 'string') return msg;
  } catch {
    // plain text
  }
  return body.trim().slice(0, 1000) || 'no message';
}

/**
 * A client of Loki's `query_range` for log searches built by
 * {@link buildLogQuery}. Errors become Backstage errors: a 400 from Loki is an
 * InputError with Loki's message; 5xx, other refusals, timeouts and an
 * unreachable Loki are ServiceUnavailableError. The token is sent as a bearer
 * token and appears nowhere else.
 *
 * @public
 */
export class LokiClient {
  /** The base URL without user info (fetch refuses URLs with credentials). */
  private readonly baseUrl: string;
  /** Basic credentials from the base URL's user info, if any. */
  private readonly basicAuth?: string;
  private readonly tenant?: string;
  private readonly token?: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  /** Most lines one search may ask for. */
  readonly maxLimit: number;

  constructor(options: LokiClientOptions) {
    const base = new URL(options.baseUrl);
    if (base.username || base.password)
      this.basicAuth = Buffer.from(
        `${decodeURIComponent(base.username)}:${decodeURIComponent(
          base.password,
        )}`,
      ).toString('base64');
    base.username = '';
    base.password = '';
    this.baseUrl = base.toString().replace(/\/+$/, '');
    this.tenant = options.tenant;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.maxLimit = Math.max(1, Math.min(options.maxLimit ?? 1000, 1000));
  }

  /** The client `observability.loki` configures, or undefined when it is not set. */
  static fromConfig(
    config: Config,
    options: Pick<LokiClientOptions, 'timeoutMs' | 'fetch'> = {},
  ): LokiClient | undefined {
    const loki = config.getOptionalConfig('observability.loki');
    if (!loki) return undefined;
    return new LokiClient({
      baseUrl: loki.getString('baseUrl'),
      tenant: loki.getOptionalString('tenant'),
      token: loki.getOptionalString('token'),
      maxLimit: loki.getOptionalNumber('limit'),
      ...options,
    });
  }

  /** Runs a search: one page of lines, newest first for `backward`. */
  async search(search: LogSearch): Promise<LogPage> {
    // An empty range (a cursor at its edge): nothing to ask; Loki would
    // answer 400 for end <= start.
    if (search.endNs <= search.startNs) return { items: [], nextCursor: null };
    const url = new URL(`${this.baseUrl}/loki/api/v1/query_range`);
    url.searchParams.set('query', search.query);
    url.searchParams.set('start', search.startNs.toString());
    url.searchParams.set('end', search.endNs.toString());
    url.searchParams.set('limit', String(search.limit));
    url.searchParams.set('direction', search.direction);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.tenant) headers['X-Scope-OrgID'] = this.tenant;
    // A token wins over user info in the base URL (e.g. a gateway's basic auth).
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    else if (this.basicAuth) headers.authorization = `Basic ${this.basicAuth}`;

    let res: Response;
    let body: string;
    try {
      res = await this.fetchImpl(url, {
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await res.text();
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError')
        throw new ServiceUnavailableError(
          `Loki did not answer within ${this.timeoutMs / 1000} s`,
        );
      // The cause names the host and the socket error, never the headers.
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new ServiceUnavailableError(
        `Loki is unreachable at ${this.baseUrl}: ${cause ?? err.message}`,
      );
    }
    if (res.status === 400)
      throw new InputError(`Loki refused the query: ${lokiMessage(body)}`);
    if (!res.ok)
      throw new ServiceUnavailableError(
        `Loki answered ${res.status}: ${lokiMessage(body)}`,
      );
    let parsed: LokiStreams;
    try {
      parsed = JSON.parse(body) as LokiStreams;
    } catch {
      throw new ServiceUnavailableError('Loki answered something not JSON');
    }
    if (parsed.status !== 'success' || parsed.data?.resultType !== 'streams')
      throw new ServiceUnavailableError(
        `Loki answered ${parsed.status ?? 'no status'} with ${
          parsed.data?.resultType ?? 'no'
        } result, not streams`,
      );
    return this.page(parsed, search);
  }

  /** Merges Loki's streams into one ordered page. */
  private page(parsed: LokiStreams, search: LogSearch): LogPage {
    const entries: { ns: bigint; item: LogItem }[] = [];
    for (const stream of parsed.data?.result ?? []) {
      const labels = stream.stream ?? {};
      for (const value of stream.values ?? []) {
        const [ts, line] = value;
        if (typeof ts !== 'string' || !/^\d+$/.test(ts)) continue;
        const ns = BigInt(ts);
        // Loki has been seen to answer lines just outside the range; they
        // would break paging by cursor.
        if (ns < search.startNs || ns >= search.endNs) continue;
        entries.push({
          ns,
          item: { timestamp: ts, line: String(line ?? ''), labels },
        });
      }
    }
    const backward = search.direction === 'backward';
    entries.sort((a, b) => {
      if (a.ns === b.ns) return 0;
      return a.ns < b.ns !== backward ? -1 : 1;
    });
    const items = entries.slice(0, search.limit).map(e => e.item);
    const full = entries.length >= search.limit && items.length > 0;
    return {
      items,
      nextCursor: full ? items[items.length - 1].timestamp : null,
    };
  }
}
