import { fakeResponse } from '../__testUtils__/fakes';
import { ContestClient } from './ContestClient';

function client(respond: (url: string, init: any) => Response) {
  const fetch = jest.fn(async (url: string, init: any) => respond(url, init));
  const getBaseUrl = jest.fn(async (id: string) => `http://backend/api/${id}`);
  const api = new ContestClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch: fetch as any },
  });
  return { api, fetch, getBaseUrl };
}

const BASE = 'http://backend/api/contest';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('ContestClient', () => {
  it('reads lists from the admin routes, unwrapping items, with encoded paths and queries', async () => {
    const { api, fetch, getBaseUrl } = client(() =>
      fakeResponse(200, { items: [{ id: 1 }] }),
    );
    await expect(api.listContests()).resolves.toEqual([{ id: 1 }]);
    expect(getBaseUrl).toHaveBeenCalledWith('contest');
    expect(fetch).toHaveBeenLastCalledWith(`${BASE}/admin/contests`, {
      method: 'GET',
    });

    await api.listTeams('fin als', ' a&b ');
    expect(fetch.mock.calls[1][0]).toBe(
      `${BASE}/admin/contests/fin%20als/teams?q=a%26b`,
    );
    await api.listTeams('finals');
    expect(fetch.mock.calls[2][0]).toBe(`${BASE}/admin/contests/finals/teams`);

    await api.listSubmissions('finals');
    expect(fetch.mock.calls[3][0]).toBe(
      `${BASE}/admin/contests/finals/submissions`,
    );
    await api.listSubmissions('finals', 42);
    expect(fetch.mock.calls[4][0]).toBe(
      `${BASE}/admin/contests/finals/submissions?after=42`,
    );
    await api.listIncidents('finals');
    expect(fetch.mock.calls[5][0]).toBe(
      `${BASE}/admin/contests/finals/incidents`,
    );
    await api.listAnnouncements('finals');
    expect(fetch.mock.calls[6][0]).toBe(
      `${BASE}/public/contests/finals/announcements`,
    );
    await expect(
      api.getChallengeStats('challenge:default/web-cookie-jar'),
    ).resolves.toEqual([{ id: 1 }]);
    expect(fetch.mock.calls[7][0]).toBe(
      `${BASE}/admin/challenge-stats?entityRef=challenge%3Adefault%2Fweb-cookie-jar`,
    );
  });

  it('asks for the live or public scoreboard, a division and a page', async () => {
    const { api, fetch } = client(() => fakeResponse(200, { entries: [] }));
    await api.getScoreboard('finals');
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/admin/contests/finals/scoreboard?view=live`,
    );
    await api.getScoreboard('finals', {
      view: 'public',
      division: 'high school',
      page: 3,
    });
    expect(fetch.mock.calls[1][0]).toBe(
      `${BASE}/admin/contests/finals/scoreboard?view=public&division=high+school&page=3`,
    );
  });

  it('writes with the right methods and JSON bodies', async () => {
    const { api, fetch } = client((_url, init) =>
      init.method === 'DELETE'
        ? fakeResponse(204)
        : fakeResponse(init.method === 'POST' ? 201 : 200, { ok: true }),
    );
    const create = {
      slug: 'finals',
      name: 'Finals',
      startsAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-02T10:00:00.000Z',
      divisions: ['open'],
    };
    await expect(api.createContest(create)).resolves.toEqual({ ok: true });
    expect(fetch).toHaveBeenLastCalledWith(`${BASE}/admin/contests`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(create),
    });

    await api.updateContest('finals', { freezeAt: null, maxAttempts: 5 });
    expect(fetch).toHaveBeenLastCalledWith(`${BASE}/admin/contests/finals`, {
      method: 'PATCH',
      headers: JSON_HEADERS,
      body: '{"freezeAt":null,"maxAttempts":5}',
    });

    await expect(api.deleteContest('finals')).resolves.toBeUndefined();
    expect(fetch).toHaveBeenLastCalledWith(`${BASE}/admin/contests/finals`, {
      method: 'DELETE',
    });

    await api.attachChallenge('finals', {
      entityRef: 'challenge:default/x',
      hidden: true,
    });
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE}/admin/contests/finals/challenges`,
      {
        method: 'POST',
        headers: JSON_HEADERS,
        body: '{"entityRef":"challenge:default/x","hidden":true}',
      },
    );

    await api.updateChallenge('finals', 'x', { hidden: false });
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE}/admin/contests/finals/challenges/x`,
      { method: 'PATCH', headers: JSON_HEADERS, body: '{"hidden":false}' },
    );

    await api.detachChallenge('finals', 'x');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE}/admin/contests/finals/challenges/x`,
      { method: 'DELETE' },
    );

    await api.setTeamBanned('finals', 't/1', { banned: true, reason: 'DoS' });
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE}/admin/contests/finals/teams/t%2F1/ban`,
      {
        method: 'POST',
        headers: JSON_HEADERS,
        body: '{"banned":true,"reason":"DoS"}',
      },
    );

    await api.postAnnouncement('finals', { title: 'Hi', body: 'Go' });
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE}/admin/contests/finals/announcements`,
      {
        method: 'POST',
        headers: JSON_HEADERS,
        body: '{"title":"Hi","body":"Go"}',
      },
    );
  });

  it('throws a ResponseError carrying the backend’s error on non-2xx', async () => {
    const { api } = client(() =>
      fakeResponse(409, {
        error: {
          name: 'ConflictError',
          message:
            '"web-cookie-jar" has solves; hide it instead of removing it',
        },
        response: { statusCode: 409 },
      }),
    );
    const error = await api
      .detachChallenge('finals', 'web-cookie-jar')
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe(
      '"web-cookie-jar" has solves; hide it instead of removing it',
    );
  });

  it('maps a 403 on a read to a ResponseError too', async () => {
    const { api } = client(() =>
      fakeResponse(403, {
        error: {
          name: 'NotAllowedError',
          message: 'Not allowed: flagstage.contest.read',
        },
        response: { statusCode: 403 },
      }),
    );
    const error = await api.listContests().catch(e => e);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('Not allowed: flagstage.contest.read');
  });
});
