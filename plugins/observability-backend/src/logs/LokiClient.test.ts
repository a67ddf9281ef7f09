import { ConfigReader } from '@backstage/config';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import net from 'node:net';
import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { LokiClient } from './LokiClient';
import { parseLogSearch } from './logSearch';
import {
  challengeLabels,
  empty,
  gatewayLabels,
  internalError,
  parseError,
  streamsBackward,
} from './__fixtures__/lokiResponses';

const LOKI = 'http://loki.test';
const QUERY_RANGE = `${LOKI}/loki/api/v1/query_range`;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const search = (params: Record<string, string> = {}) =>
  parseLogSearch(
    {
      team: 't1',
      start: '2026-03-01T12:00:00Z',
      end: '2026-03-01T13:00:00Z',
      ...params,
    },
    { now: Date.parse('2026-03-01T13:00:00Z') },
  );

function recordRequests(body: unknown, init?: ResponseInit) {
  const seen: Request[] = [];
  server.use(
    http.get(QUERY_RANGE, ({ request }) => {
      seen.push(request);
      return typeof body === 'string'
        ? new HttpResponse(body, {
            ...init,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          })
        : HttpResponse.json(body as object, init);
    }),
  );
  return seen;
}

describe('LokiClient', () => {
  it('asks query_range with the LogQL, range in nanoseconds, limit and direction, tenant and token', async () => {
    const seen = recordRequests(empty);
    const client = LokiClient.fromConfig(
      new ConfigReader({
        observability: {
          loki: { baseUrl: `${LOKI}/`, tenant: 'flagstage', token: 's3cret' },
        },
      }),
    )!;
    await client.search(search({ contains: 'GET "/flag"', limit: '50' }));
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0].url);
    expect(url.pathname).toBe('/loki/api/v1/query_range');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      query: '{flagstage_team="t1"} |= "GET \\"/flag\\""',
      start: '1772366400000000000',
      end: '1772370000000000000',
      limit: '50',
      direction: 'backward',
    });
    expect(seen[0].headers.get('x-scope-orgid')).toBe('flagstage');
    expect(seen[0].headers.get('authorization')).toBe('Bearer s3cret');
  });

  it('sends no tenant or authorization header when none is configured', async () => {
    const seen = recordRequests(empty);
    await new LokiClient({ baseUrl: LOKI }).search(search());
    expect(seen[0].headers.get('x-scope-orgid')).toBeNull();
    expect(seen[0].headers.get('authorization')).toBeNull();
  });

  it('merges the streams into one page, newest first, with each line’s stream labels', async () => {
    recordRequests(streamsBackward);
    const page = await new LokiClient({ baseUrl: LOKI }).search(search());
    expect(page).toEqual({
      items: [
        {
          timestamp: '1772366400000000300',
          line: 'GET /flag 403',
          labels: challengeLabels,
        },
        {
          timestamp: '1772366400000000200',
          line: '{"level":"info","message":"request","route":"/","status":200}',
          labels: gatewayLabels,
        },
        {
          timestamp: '1772366400000000100',
          line: 'GET / 200',
          labels: challengeLabels,
        },
      ],
      nextCursor: null,
    });
  });

  it('orders forward pages oldest first and gives the last timestamp as cursor when the page is full', async () => {
    recordRequests(streamsBackward);
    const page = await new LokiClient({ baseUrl: LOKI }).search(
      search({ direction: 'forward', limit: '2' }),
    );
    expect(page.items.map(i => i.timestamp)).toEqual([
      '1772366400000000100',
      '1772366400000000200',
    ]);
    expect(page.nextCursor).toBe('1772366400000000200');
  });

  it('drops lines Loki answers outside the asked range', async () => {
    recordRequests(streamsBackward);
    // The cursor ends the range at ...200 (exclusive).
    const page = await new LokiClient({ baseUrl: LOKI }).search(
      search({ cursor: '1772366400000000200' }),
    );
    expect(page.items.map(i => i.timestamp)).toEqual(['1772366400000000100']);
  });

  it('answers an empty page for an empty result', async () => {
    recordRequests(empty);
    await expect(
      new LokiClient({ baseUrl: LOKI }).search(search()),
    ).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('does not ask Loki for an empty range (a cursor at the start)', async () => {
    const seen = recordRequests(empty);
    await expect(
      new LokiClient({ baseUrl: LOKI }).search(
        search({ cursor: '1772366400000000000' }),
      ),
    ).resolves.toEqual({ items: [], nextCursor: null });
    expect(seen).toHaveLength(0);
  });

  it('turns a 400 into an InputError with Loki’s message (plain text or JSON)', async () => {
    recordRequests(parseError, { status: 400 });
    const client = new LokiClient({ baseUrl: LOKI });
    const err = await client.search(search()).catch(e => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`Loki refused the query: ${parseError}`);
    server.resetHandlers();
    recordRequests(
      {
        status: 'error',
        errorType: 'bad_data',
        error:
          'max entries limit per query exceeded, limit > max_entries_limit (5000 > 1000)',
      },
      { status: 400 },
    );
    await expect(client.search(search())).rejects.toThrow(
      'Loki refused the query: max entries limit per query exceeded, limit > max_entries_limit (5000 > 1000)',
    );
  });

  it('turns a 500 into a ServiceUnavailableError with Loki’s message, and never shows the token', async () => {
    recordRequests(internalError, { status: 500 });
    const err = await new LokiClient({ baseUrl: LOKI, token: 's3cret' })
      .search(search())
      .catch(e => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err.message).toBe(`Loki answered 500: ${internalError}`);
    expect(JSON.stringify(err)).not.toContain('s3cret');
  });

  it('turns a 401 from Loki into a ServiceUnavailableError, not the caller’s fault', async () => {
    recordRequests('no org id', { status: 401 });
    await expect(
      new LokiClient({ baseUrl: LOKI }).search(search()),
    ).rejects.toThrow(
      new ServiceUnavailableError('Loki answered 401: no org id'),
    );
  });

  it('gives up after the timeout with a ServiceUnavailableError', async () => {
    server.use(
      http.get(QUERY_RANGE, async () => {
        await delay('infinite');
        return HttpResponse.json(empty);
      }),
    );
    const started = Date.now();
    const err = await new LokiClient({ baseUrl: LOKI, timeoutMs: 200 })
      .search(search())
      .catch(e => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err.message).toBe('Loki did not answer within 0.2 s');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('sends user info of the base URL as basic auth, not in the URL', async () => {
    const seen: Request[] = [];
    server.use(
      http.get('http://loki-gw.test/loki/api/v1/query_range', ({ request }) => {
        seen.push(request);
        return HttpResponse.json(empty);
      }),
    );
    await new LokiClient({ baseUrl: 'http://42:p%40ss@loki-gw.test' }).search(
      search(),
    );
    expect(seen[0].url).toMatch(/^http:\/\/loki-gw\.test\/loki/);
    expect(seen[0].headers.get('authorization')).toBe(
      `Basic ${Buffer.from('42:p@ss').toString('base64')}`,
    );
  });

  it('reports an unreachable Loki without its credentials', async () => {
    // A real connection to a port nobody listens on (a server's, closed).
    const closed = net.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', () => r()));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise(r => closed.close(r));
    server.use(http.get(`http://127.0.0.1:${port}/*`, () => passthrough()));
    const err = await new LokiClient({
      baseUrl: `http://user:pw@127.0.0.1:${port}`,
      token: 's3cret',
    })
      .search(search())
      .catch(e => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err.message).toMatch(
      new RegExp(
        `^Loki is unreachable at http://127.0.0.1:${port}: .*ECONNREFUSED`,
      ),
    );
    expect(err.message).not.toMatch(/pw|s3cret/);
  });

  it('answers a ServiceUnavailableError for a non-streams answer', async () => {
    recordRequests({
      status: 'success',
      data: { resultType: 'matrix', result: [] },
    });
    await expect(
      new LokiClient({ baseUrl: LOKI }).search(search()),
    ).rejects.toThrow('Loki answered success with matrix result, not streams');
  });

  it('is not configured without observability.loki, and caps limit at 1000', () => {
    expect(LokiClient.fromConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      LokiClient.fromConfig(
        new ConfigReader({
          observability: { loki: { baseUrl: LOKI, limit: 5000 } },
        }),
      )!.maxLimit,
    ).toBe(1000);
    expect(
      LokiClient.fromConfig(
        new ConfigReader({
          observability: { loki: { baseUrl: LOKI, limit: 100 } },
        }),
      )!.maxLimit,
    ).toBe(100);
  });
});
