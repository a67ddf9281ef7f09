import { fakeResponse } from '../__testUtils__/fakes';
import { DeploymentClient } from './DeploymentClient';

function client(respond: (url: string, init: any) => Response) {
  const fetch = jest.fn(async (url: string, init: any) => respond(url, init));
  const getBaseUrl = jest.fn(async (id: string) => `http://backend/api/${id}`);
  const api = new DeploymentClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch: fetch as any },
  });
  return { api, fetch, getBaseUrl };
}

describe('DeploymentClient', () => {
  it('lists instances with only the filters given', async () => {
    const { api, fetch, getBaseUrl } = client(() =>
      fakeResponse(200, { items: [] }),
    );
    await api.listInstances();
    expect(getBaseUrl).toHaveBeenCalledWith('deployment');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/deployment/instances',
      { method: 'GET' },
    );

    await api.listInstances({
      contestId: ' demo ',
      teamId: '',
      challengeRef: 'challenge:default/web cookie',
      states: ['RUNNING', 'FAILED'],
      limit: 50,
    });
    const url = new URL(fetch.mock.calls[1][0]);
    expect(url.pathname).toBe('/api/deployment/instances');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      contestId: 'demo',
      challengeRef: 'challenge:default/web cookie',
      state: 'RUNNING,FAILED',
      limit: '50',
    });
  });

  it('calls the instance routes with the right methods and encoded ids', async () => {
    const { api, fetch } = client(() => fakeResponse(200, { items: [] }));
    await api.getInstance('a/b');
    await api.stopInstance('i1');
    await api.extendInstance('i1');
    await api.getTransitions('i1');
    await api.getOutput('i1');
    await api.getOutput('i1', 50);
    await api.getQueue();
    expect(fetch.mock.calls.map(([u, init]) => `${init.method} ${u}`)).toEqual([
      'GET http://backend/api/deployment/instances/a%2Fb',
      'POST http://backend/api/deployment/instances/i1/stop',
      'POST http://backend/api/deployment/instances/i1/extend',
      'GET http://backend/api/deployment/instances/i1/transitions',
      'GET http://backend/api/deployment/instances/i1/output?tail=200',
      'GET http://backend/api/deployment/instances/i1/output?tail=50',
      'GET http://backend/api/deployment/queue',
    ]);
  });

  it('returns the parsed body', async () => {
    const { api } = client(() =>
      fakeResponse(200, { ready: 2, dead: 1, instances: { RUNNING: 3 } }),
    );
    await expect(api.getQueue()).resolves.toEqual({
      ready: 2,
      dead: 1,
      instances: { RUNNING: 3 },
    });
  });

  it('throws a ResponseError carrying the backend’s error on non-2xx', async () => {
    const { api } = client(() =>
      fakeResponse(403, {
        error: {
          name: 'NotAllowedError',
          message: 'Extending opens 10 minutes before expiry',
        },
        response: { statusCode: 403 },
      }),
    );
    const error = await api.extendInstance('i1').catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
    expect(error.cause.message).toBe(
      'Extending opens 10 minutes before expiry',
    );
  });
  it('lists a challenge’s builds with the ref as a query parameter', async () => {
    const build = {
      id: 'b1',
      challengeRef: 'challenge:default/web-cookie-jar',
      status: 'SUCCEEDED',
      image: 'registry.local/web-cookie-jar:b1',
      workflow: 'build-b1',
      message: null,
      requestedBy: 'user:default/author',
      createdAt: '2026-11-22T12:00:00.000Z',
      updatedAt: '2026-11-22T12:01:00.000Z',
      finishedAt: '2026-11-22T12:01:00.000Z',
    };
    const { api, fetch } = client(() => fakeResponse(200, { items: [build] }));
    await expect(
      api.listBuilds('challenge:default/web cookie&x'),
    ).resolves.toEqual({ items: [build] });
    const [url, init] = fetch.mock.calls[0];
    expect(init).toEqual({ method: 'GET' });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/api/deployment/builds');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      challengeRef: 'challenge:default/web cookie&x',
    });
  });

  it('starts a build with a JSON body and returns the queued build', async () => {
    const queued = { id: 'b2', status: 'QUEUED' };
    const { api, fetch } = client(() => fakeResponse(202, queued));
    await expect(
      api.startBuild('challenge:default/web-cookie-jar'),
    ).resolves.toEqual(queued);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/deployment/builds');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual({
      challengeRef: 'challenge:default/web-cookie-jar',
    });
  });

  it('carries the backend’s 409 when a build is already active', async () => {
    const { api } = client(() =>
      fakeResponse(409, {
        error: {
          name: 'ConflictError',
          message:
            'challenge:default/web-cookie-jar is already being built; wait for that build to finish',
        },
        response: { statusCode: 409 },
      }),
    );
    const error = await api
      .startBuild('challenge:default/web-cookie-jar')
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe(
      'challenge:default/web-cookie-jar is already being built; wait for that build to finish',
    );
  });
});
