import { ResponseError } from '@backstage/errors';
import { ObservabilityClient } from './ObservabilityClient';

function client(status = 200, body: unknown = { items: [] }) {
  const urls: string[] = [];
  const text = JSON.stringify(body);
  const fetchApi = {
    fetch: jest.fn(async (url: RequestInfo | URL) => {
      urls.push(String(url));
      return {
        ok: status < 300,
        status,
        statusText: status < 300 ? 'OK' : 'Not Found',
        headers: new Map([['content-type', 'application/json']]),
        text: async () => text,
        json: async () => JSON.parse(text),
      } as unknown as Response;
    }),
  };
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://localhost:7007/api/${id}`,
  };
  return { api: new ObservabilityClient({ discoveryApi, fetchApi }), urls };
}

describe('ObservabilityClient', () => {
  it('searches /logs/loki with the set fields only, trimmed', async () => {
    const { api, urls } = client();
    await api.searchLogs({
      team: ' t1 ',
      challenge: '',
      contains: ' a "b" ',
      start: '2026-03-01T11:00:00.000Z',
      end: '2026-03-01T12:00:00.000Z',
      limit: 50,
      direction: 'forward',
      cursor: '1772366400000000000',
    });
    const url = new URL(urls[0]);
    expect(url.pathname).toBe('/api/observability/logs/loki');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      team: 't1',
      contains: ' a "b" ',
      start: '2026-03-01T11:00:00.000Z',
      end: '2026-03-01T12:00:00.000Z',
      limit: '50',
      direction: 'forward',
      cursor: '1772366400000000000',
    });
  });

  it('reads workflow and pod logs of an instance, id escaped', async () => {
    const { api, urls } = client();
    await api.getWorkflowLogs('i/1', { tailLines: 100 });
    await api.getPodLogs('i1', { tailLines: 10, sinceSeconds: 60 });
    expect(urls).toEqual([
      'http://localhost:7007/api/observability/logs/workflows/i%2F1?tailLines=100',
      'http://localhost:7007/api/observability/logs/pods/i1?tailLines=10&sinceSeconds=60',
    ]);
  });

  it('throws a ResponseError carrying the backend’s message', async () => {
    const { api } = client(404, {
      error: { name: 'NotFoundError', message: 'no Loki configured' },
      response: { statusCode: 404 },
    });
    const err = await api.searchLogs({ team: 't1' }).catch(e => e);
    expect(err).toBeInstanceOf(ResponseError);
    expect(err.cause.message).toBe('no Loki configured');
  });
});
