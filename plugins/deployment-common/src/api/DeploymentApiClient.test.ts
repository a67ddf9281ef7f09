import { DeploymentApiClient } from './DeploymentApiClient';

function json(status: number, body?: unknown) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function client(respond: (url: string, init: RequestInit) => Response) {
  const fetch = jest.fn(async (url: string, init: RequestInit) =>
    respond(url, init),
  );
  const api = new DeploymentApiClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
    getToken: async () => 'service-token',
    headers: () => ({ traceparent: '00-abc-def-01' }),
  });
  return { api, fetch };
}

describe('DeploymentApiClient', () => {
  it('sends the token, the extra headers and JSON bodies', async () => {
    const { api, fetch } = client(() => json(202, { id: 'i1' }));
    await api.startInstance({
      contestId: 'c',
      teamId: 't',
      challengeRef: 'challenge:default/x',
      requestedBy: 'contestant:p',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/deployment/instances',
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: 'Bearer service-token',
          traceparent: '00-abc-def-01',
        },
        body: '{"contestId":"c","teamId":"t","challengeRef":"challenge:default/x","requestedBy":"contestant:p"}',
      },
    );
  });

  it('finds the active instance, null when there is none', async () => {
    const { api, fetch } = client(() => json(200, { instance: null }));
    await expect(
      api.activeInstance('c', 't', 'challenge:default/x'),
    ).resolves.toBeNull();
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/deployment/active?contestId=c&teamId=t&challengeRef=challenge%3Adefault%2Fx',
    );
  });

  it('returns a lost compare-and-set and an already claimed build instead of throwing', async () => {
    const { api } = client((url: string) =>
      url.endsWith('/transition')
        ? json(409, { error: { name: 'ConflictError' }, state: 'STOPPED' })
        : json(409, { error: { name: 'ConflictError', message: 'claimed' } }),
    );
    await expect(
      api.transitionInstance('i1', { from: ['RUNNING'], to: 'STOPPING' }),
    ).resolves.toEqual({ ok: false, state: 'STOPPED' });
    await expect(api.claimBuild('b1', 'build-b1')).resolves.toBeUndefined();
    await expect(
      api.reportWorkflow('i1', {
        name: 'w',
        phase: 'Running',
        nodes: [],
        observedAt: '2026-11-22T12:00:00.000Z',
      }),
    ).resolves.toBeUndefined();
  });

  it('pages through the internal list and throws a ResponseError on failure', async () => {
    const pages = [
      { items: [{ id: 'a' }], nextCursor: 'next' },
      { items: [{ id: 'b' }], nextCursor: null },
    ];
    const { api, fetch } = client(() => json(200, pages.shift()));
    const rows = await api.listInstanceRecords(['RUNNING', 'DEPLOYING']);
    expect(rows.map(r => r.id)).toEqual(['a', 'b']);
    expect(new URL(fetch.mock.calls[1][0]).searchParams.get('cursor')).toBe(
      'next',
    );

    const failing = client(() =>
      json(500, { error: { name: 'Error', message: 'boom' } }),
    );
    const error = await failing.api.failBuild('b1', 'why').catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(500);
  });
});
