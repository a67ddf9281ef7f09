import { fakeResponse } from '../__testUtils__/fakes';
import { GatewayAdminClient } from './GatewayAdminClient';

function client(respond: (url: string, init: any) => Response) {
  const fetch = jest.fn(async (url: string, init: any) => respond(url, init));
  const api = new GatewayAdminClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backend/api/${id}`,
    },
    fetchApi: { fetch: fetch as any },
  });
  return { api, fetch };
}

describe('GatewayAdminClient', () => {
  it('calls the gateway-admin routes with JSON bodies and encoded paths', async () => {
    const { api, fetch } = client(() => fakeResponse(200, { ok: true }));
    await api.updateLimits({ http: { perTokenRps: 5 } }, 3);
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/gateway-admin/limits',
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          limits: { http: { perTokenRps: 5 } },
          baseVersion: 3,
        }),
      },
    );
    await api.revoke({ scope: 'team', value: 't1', reason: 'r' });
    expect(fetch.mock.calls[1][1]).toMatchObject({ method: 'POST' });
    await api.unrevoke('instance', 'ns/inst:1');
    expect(fetch.mock.calls[2][0]).toBe(
      'http://backend/api/gateway-admin/revocations/instance/ns%2Finst%3A1',
    );
    expect(fetch.mock.calls[2][1]).toEqual({ method: 'DELETE' });
    await api.getConnections({ team: 'a b' });
    expect(fetch.mock.calls[3][0]).toBe(
      'http://backend/api/gateway-admin/connections?team=a+b',
    );
    await api.getConnections();
    expect(fetch.mock.calls[4][0]).toBe(
      'http://backend/api/gateway-admin/connections',
    );
    await api.getTopTalkers(5);
    expect(fetch.mock.calls[5][0]).toBe(
      'http://backend/api/gateway-admin/top-talkers?limit=5',
    );
  });

  it('throws a ResponseError carrying the backend’s error on non-2xx', async () => {
    const { api } = client(() =>
      fakeResponse(409, {
        error: { name: 'ConflictError', message: 'team t1 is already revoked' },
        response: { statusCode: 409 },
      }),
    );
    const error = await api
      .revoke({ scope: 'team', value: 't1' })
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe('team t1 is already revoked');
  });
});
