import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleFlagstagePolicy from '@flagstage/plugin-permission-backend-module-flagstage-policy';
import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import {
  capturingLogger,
  challengeEntity,
  HOUR,
  PLAIN_FLAGS,
  testChallenges,
} from './__testUtils__/fixtures';
import { contestPlugin } from './plugin';

jest.setTimeout(60_000);

/** The request path a supertest response answered. */
const pathOf = (res: request.Response) =>
  (res as unknown as { req: { path: string } }).req.path;

const ADMIN = 'user:default/ada';
const OPERATOR = 'user:default/olga';
const AUTHOR = 'user:default/alan';
const READER = 'user:default/rita';
const ownership: Record<string, string[]> = {
  [ADMIN]: [ADMIN, 'group:default/ctf-admins'],
  [OPERATOR]: [OPERATOR, 'group:default/ctf-operators'],
  [AUTHOR]: [AUTHOR, 'group:default/ctf-authors'],
  [READER]: [READER],
};

/** Ownership (user + groups) as the catalog would resolve it. */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: ownership[ref] ?? [ref],
      };
    },
  }),
});

const someoneElsesChallenge = challengeEntity('not-alans');
someoneElsesChallenge.relations = [
  { type: 'ownedBy', targetRef: 'group:default/other-authors' },
];

/**
 * The contest plugin in a test backend with the real permission backend and
 * Flagstage policy, a real database (SQLite and PostgreSQL), and a logger
 * that captures every line so the leak test can search it.
 */
describe.each(testDatabaseEngines())('contest plugin on %s', engine => {
  let db: TestDatabase;
  let server: any;
  let stop: () => Promise<void>;
  const log = capturingLogger();

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const backend = await startTestBackend({
      features: [
        databaseServiceFactory,
        permissionsServiceFactory,
        userInfoFactory,
        // Requests without a token are unauthenticated, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => log,
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              baseUrl: 'http://localhost:7007',
              database: {
                ...db.config,
                ...(engine === 'postgres'
                  ? { pluginDivisionMode: 'schema' }
                  : {}),
              },
            },
            permission: { enabled: true },
          },
        }),
        catalogServiceMock.factory({
          entities: [...Object.values(testChallenges), someoneElsesChallenge],
        }),
        permissionPlugin,
        permissionModuleFlagstagePolicy,
        contestPlugin,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  }, 60_000);

  afterAll(async () => {
    await stop?.();
    await db?.destroy();
  });

  const as = (user: string) => ({
    get: (url: string) =>
      request(server)
        .get(`/api/contest${url}`)
        .set('Authorization', mockCredentials.user.header(user)),
    post: (url: string, body?: object) =>
      request(server)
        .post(`/api/contest${url}`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
    patch: (url: string, body?: object) =>
      request(server)
        .patch(`/api/contest${url}`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
    delete: (url: string) =>
      request(server)
        .delete(`/api/contest${url}`)
        .set('Authorization', mockCredentials.user.header(user)),
  });
  const admin = as(ADMIN);

  let slugs = 0;
  async function createContest(extra: object = {}) {
    slugs += 1;
    const now = Date.now();
    const res = await admin.post('/admin/contests', {
      slug: `api-${slugs}`,
      name: `API contest ${slugs}`,
      startsAt: new Date(now - HOUR).toISOString(),
      endsAt: new Date(now + HOUR).toISOString(),
      divisions: ['open', 'student'],
      ...extra,
    });
    expect(res.status).toBe(201);
    for (const name of Object.keys(testChallenges)) {
      const attached = await admin.post(
        `/admin/contests/${res.body.slug}/challenges`,
        { entityRef: `challenge:default/${name}`, hidden: false },
      );
      expect(attached.status).toBe(201);
    }
    return res.body as { slug: string; id: string };
  }

  /** A contestant agent keeping its session cookie. */
  async function contestant(slug: string, username: string) {
    const agent = request.agent(server);
    const password = `pw-${username}-long-enough`;
    const res = await agent
      .post(`/api/contest/public/contests/${slug}/register`)
      .send({ username, password });
    expect(res.status).toBe(201);
    const cookie = String(res.headers['set-cookie']);
    const token = /flagstage_session=([^;]+)/.exec(cookie)![1];
    return { agent, password, token, cookie };
  }

  it('serves health without credentials', async () => {
    const res = await request(server).get('/api/contest/health');
    expect(res.status).toBe(200);
  });

  describe('contestant authentication', () => {
    it('refuses contestant routes without a session, with a bogus one, and after logout', async () => {
      const { slug } = await createContest();
      for (const [method, url] of [
        ['get', '/public/me'],
        ['get', '/public/challenges'],
        ['post', '/public/teams'],
        ['post', '/public/teams/join'],
        ['post', '/public/challenges/warmup/submit'],
        ['post', '/public/challenges/vault/hints/0/unlock'],
      ] as const) {
        const res = await (request(server) as any)
          [method](`/api/contest${url}`)
          .send({ name: 'x', inviteCode: 'xxxxxxxxxx', flag: 'x' });
        expect({ url, status: res.status }).toEqual({ url, status: 401 });
        const bogus = await (request(server) as any)
          [method](`/api/contest${url}`)
          .set('Cookie', 'flagstage_session=forged-token-value')
          .send({});
        expect({ url, status: bogus.status }).toEqual({ url, status: 401 });
      }
      const me = await contestant(slug, 'logoutuser');
      expect((await me.agent.get('/api/contest/public/me')).status).toBe(200);
      const out = await me.agent.post('/api/contest/public/logout');
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
      const replay = await request(server)
        .get('/api/contest/public/me')
        .set('Cookie', `flagstage_session=${me.token}`);
      expect(replay.status).toBe(401);
    });

    it('sets an HttpOnly, SameSite session cookie scoped to the public API', async () => {
      const { slug } = await createContest();
      const me = await contestant(slug, 'cookieuser');
      expect(me.cookie).toMatch(/HttpOnly/);
      expect(me.cookie).toMatch(/SameSite=Lax/);
      expect(me.cookie).toMatch(/Path=\/api\/contest\/public/);
      const login = await request(server)
        .post(`/api/contest/public/contests/${slug}/login`)
        .send({ username: 'cookieuser', password: 'wrong password!!' });
      expect(login.status).toBe(403);
      expect(login.body.error.message).toBe('Wrong username or password');
    });

    it('throttles password guessing per account with 429, before checking the password', async () => {
      const { slug } = await createContest();
      const me = await contestant(slug, 'guessme');
      const login = (password: string) =>
        request(server)
          .post(`/api/contest/public/contests/${slug}/login`)
          .send({ username: 'GuessMe', password });
      for (let i = 0; i < 10; i++) {
        expect((await login(`wrong-password-${i}`)).status).toBe(403);
      }
      const blocked = await login(me.password);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.name).toBe('TooManyRequestsError');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Other accounts are unaffected.
      const other = await contestant(slug, 'notguessed');
      const ok = await request(server)
        .post(`/api/contest/public/contests/${slug}/login`)
        .send({ username: 'notguessed', password: other.password });
      expect(ok.status).toBe(200);
    });

    it('a contestant session cannot reach admin or runtime routes', async () => {
      const { slug } = await createContest();
      const me = await contestant(slug, 'sneaky');
      for (const url of [
        '/api/contest/admin/contests',
        `/api/contest/admin/contests/${slug}/submissions`,
        `/api/contest/runtime/contests/${slug}/teams/x/challenges/vault/env`,
      ]) {
        const res = await request(server)
          .get(url)
          .set('Cookie', `flagstage_session=${me.token}`);
        expect({ url, status: res.status }).toEqual({ url, status: 401 });
      }
      const create = await me.agent
        .post('/api/contest/admin/contests')
        .set('Cookie', `flagstage_session=${me.token}`)
        .send({ slug: 'hijack', name: 'x' });
      expect(create.status).toBe(401);
    });
  });

  describe('staff permissions', () => {
    it('lets only admins edit; operators read; readers and authors see no contest data', async () => {
      const { slug } = await createContest();
      const body = { name: 'renamed' };
      expect(
        (await as(READER).patch(`/admin/contests/${slug}`, body)).status,
      ).toBe(403);
      expect(
        (await as(OPERATOR).patch(`/admin/contests/${slug}`, body)).status,
      ).toBe(403);
      expect(
        (await as(AUTHOR).patch(`/admin/contests/${slug}`, body)).status,
      ).toBe(403);
      expect(
        (await as(AUTHOR).post('/admin/contests', { slug: 'x' })).status,
      ).toBe(403);
      expect(
        (await as(OPERATOR).delete(`/admin/contests/${slug}`)).status,
      ).toBe(403);
      expect(
        (
          await as(OPERATOR).post(`/admin/contests/${slug}/announcements`, {
            title: 't',
            body: 'b',
          })
        ).status,
      ).toBe(403);

      expect((await as(OPERATOR).get(`/admin/contests/${slug}`)).status).toBe(
        200,
      );
      expect(
        (await as(OPERATOR).get(`/admin/contests/${slug}/submissions`)).status,
      ).toBe(200);
      expect(
        (await as(READER).get(`/admin/contests/${slug}/submissions`)).status,
      ).toBe(403);
      expect(
        (await as(AUTHOR).get(`/admin/contests/${slug}/incidents`)).status,
      ).toBe(403);

      const renamed = await admin.patch(`/admin/contests/${slug}`, body);
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('renamed');
      const unauthenticated = await request(server).get(
        '/api/contest/admin/contests',
      );
      expect(unauthenticated.status).toBe(401);
    });

    it('lets authors read the stats of their own challenges only', async () => {
      await createContest();
      const own = await as(AUTHOR).get(
        '/admin/challenge-stats?entityRef=challenge:default/warmup',
      );
      expect(own.status).toBe(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      const other = await as(AUTHOR).get(
        '/admin/challenge-stats?entityRef=challenge:default/not-alans',
      );
      expect(other.status).toBe(403);
      const operator = await as(OPERATOR).get(
        '/admin/challenge-stats?entityRef=challenge:default/not-alans',
      );
      expect(operator.status).toBe(200);
      expect(
        (
          await as(READER).get(
            '/admin/challenge-stats?entityRef=challenge:default/warmup',
          )
        ).status,
      ).toBe(403);
    });

    it('answers bad input with InputError naming the field, and unknown contests with 404', async () => {
      const bad = await admin.post('/admin/contests', {
        slug: 'Bad Slug',
        name: '',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.name).toBe('InputError');
      expect(bad.body.error.message).toMatch(/slug/);
      expect(bad.body.error.message).toMatch(/startsAt/);
      expect((await admin.get('/admin/contests/no-such-contest')).status).toBe(
        404,
      );
      expect(
        (
          await request(server).get(
            '/api/contest/public/contests/no-such-contest',
          )
        ).status,
      ).toBe(404);
      const missing = await admin.post('/admin/contests/api-1/challenges', {
        entityRef: 'challenge:default/nope',
      });
      expect(missing.status).toBe(404);
    });
  });

  it('gives the runtime a team’s FLAG for service callers only', async () => {
    const { slug } = await createContest();
    const me = await contestant(slug, 'runtimeuser');
    const team = await me.agent
      .post('/api/contest/public/teams')
      .send({ name: 'Runtime team' });
    const url = `/api/contest/runtime/contests/${slug}/teams/${team.body.id}/challenges/vault/env`;
    expect((await admin.get(url.replace('/api/contest', ''))).status).toBe(403);
    const res = await request(server)
      .get(url)
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.env.FLAG).toMatch(/^flagstage\{[0-9a-f]{32}\}$/);
    const staticOne = await request(server)
      .get(url.replace('/vault/', '/warmup/'))
      .set('Authorization', mockCredentials.service.header());
    expect(staticOne.body).toEqual({ env: {} });
  });

  it('answers 429 with Retry-After over the submission rate', async () => {
    const { slug } = await createContest({ submissionRatePerMinute: 1 });
    const me = await contestant(slug, 'ratey');
    await me.agent.post('/api/contest/public/teams').send({ name: 'Ratey' });
    const responses = [];
    // With one submission a minute, three in a row cannot all pass: at most
    // one minute boundary falls between them.
    for (let i = 0; i < 3; i++) {
      responses.push(
        await me.agent
          .post('/api/contest/public/challenges/pattern/submit')
          .send({ flag: `nope-${i}` }),
      );
    }
    const limited = responses.filter(r => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThan(0);
    expect(limited[0].body.error.name).toBe('TooManyRequestsError');
    expect(
      responses.filter(r => r.status === 200).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('freezes the public scoreboard while admins see the live one; divisions and the CTFtime feed', async () => {
    const now = Date.now();
    const { slug } = await createContest({
      startsAt: new Date(now - 2 * HOUR).toISOString(),
      freezeAt: new Date(now - HOUR).toISOString(),
      endsAt: new Date(now + HOUR).toISOString(),
    });
    const a = await contestant(slug, 'frozena');
    await a.agent
      .post('/api/contest/public/teams')
      .send({ name: 'Frozen A', division: 'student' });
    const b = await contestant(slug, 'frozenb');
    await b.agent.post('/api/contest/public/teams').send({ name: 'Frozen B' });
    const solved = await a.agent
      .post('/api/contest/public/challenges/warmup/submit')
      .send({ flag: PLAIN_FLAGS.warmup });
    expect(solved.body).toEqual({ correct: true, alreadySolved: false });

    const eventually = async (
      fn: () => Promise<any>,
      ok: (b: any) => boolean,
    ) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const body = (await fn()).body;
        if (ok(body) || Date.now() > deadline) return body;
        await new Promise(r => setTimeout(r, 100));
      }
    };
    const live = await eventually(
      () => admin.get(`/admin/contests/${slug}/scoreboard`),
      body => body.entries?.[0]?.score > 0,
    );
    expect(live.frozen).toBe(false);
    expect(live.entries[0]).toMatchObject({
      pos: 1,
      team: 'Frozen A',
      score: 500,
      division: 'student',
    });
    expect(live.top10Series.length).toBeGreaterThan(0);

    const publicBoard = (
      await request(server).get(
        `/api/contest/public/contests/${slug}/scoreboard`,
      )
    ).body;
    expect(publicBoard.frozen).toBe(true);
    expect(publicBoard.entries.every((e: any) => e.score === 0)).toBe(true);
    // Only teams with pre-freeze solves show: Frozen A solved after the freeze.
    expect(publicBoard.entries).toEqual([]);
    const adminPublic = (
      await admin.get(`/admin/contests/${slug}/scoreboard?view=public`)
    ).body;
    expect(adminPublic.frozen).toBe(true);

    const student = (
      await admin.get(`/admin/contests/${slug}/scoreboard?division=student`)
    ).body;
    expect(student.entries.map((e: any) => e.team)).toEqual(['Frozen A']);

    const feed = (
      await request(server).get(`/api/contest/public/contests/${slug}/ctftime`)
    ).body;
    expect(Object.keys(feed)).toEqual(['standings']);
    // Neither team has a pre-freeze solve (the shape of a standing is checked in contestantSecurity.test.ts).
    expect(feed.standings).toEqual([]);
    for (const s of feed.standings)
      expect(Object.keys(s).sort()).toEqual(['pos', 'score', 'team']);
  });

  it('runs a whole contest without leaking a flag, dynamic flag, password or session token', async () => {
    const { slug, id } = await createContest();
    const announced = await admin.post(
      `/admin/contests/${slug}/announcements`,
      {
        title: 'Welcome',
        body: 'Good luck',
      },
    );
    expect(announced.status).toBe(201);

    const contestantResponses: request.Response[] = [];
    const adminResponses: request.Response[] = [];
    const keep = (list: request.Response[]) => (r: request.Response) => {
      list.push(r);
      return r;
    };
    const players = [];
    for (const name of ['leaka', 'leakb', 'leakc', 'leakd'])
      players.push(await contestant(slug, name));
    const [a, b, c, d] = players;
    const teamA = keep(contestantResponses)(
      await a.agent.post('/api/contest/public/teams').send({ name: 'Leak A' }),
    );
    keep(contestantResponses)(
      await b.agent
        .post('/api/contest/public/teams/join')
        .send({ inviteCode: teamA.body.inviteCode }),
    );
    const teamC = keep(contestantResponses)(
      await c.agent.post('/api/contest/public/teams').send({ name: 'Leak C' }),
    );
    keep(contestantResponses)(
      await d.agent
        .post('/api/contest/public/teams/join')
        .send({ inviteCode: teamC.body.inviteCode }),
    );

    const flagOf = async (teamId: string) =>
      (
        await request(server)
          .get(
            `/api/contest/runtime/contests/${slug}/teams/${teamId}/challenges/vault/env`,
          )
          .set('Authorization', mockCredentials.service.header())
      ).body.env.FLAG as string;
    const flagA = await flagOf(teamA.body.id);
    const flagC = await flagOf(teamC.body.id);
    expect(flagA).not.toBe(flagC);
    const wrongGuess = 'flagstage{my-secret-wrong-guess}';

    const play = async (p: typeof a, path: string, body?: object) =>
      keep(contestantResponses)(
        body === undefined
          ? await p.agent.get(`/api/contest/public${path}`)
          : await p.agent.post(`/api/contest/public${path}`).send(body),
      );
    await play(a, '/challenges');
    await play(a, '/me');
    await play(a, '/challenges/warmup/submit', { flag: wrongGuess });
    await play(a, '/challenges/warmup/submit', { flag: PLAIN_FLAGS.warmup });
    await play(b, '/challenges/warmup/submit', { flag: PLAIN_FLAGS.warmup });
    await play(c, '/challenges/pattern/submit', { flag: PLAIN_FLAGS.pattern });
    await play(a, '/challenges/vault/submit', { flag: flagA });
    // Team C submits team A's dynamic flag: an incident, answered "incorrect".
    const shared = await play(c, '/challenges/vault/submit', { flag: flagA });
    expect(shared.body).toEqual({ correct: false, alreadySolved: false });
    await play(d, '/challenges/vault/hints/1/unlock', {});
    await play(c, '/challenges/finale/submit', { flag: PLAIN_FLAGS.warmup });
    await play(a, '/challenges/finale/submit', { flag: PLAIN_FLAGS.warmup });
    await play(d, '/challenges');
    await play(a, `/contests/${slug}/scoreboard`);
    await play(a, `/contests/${slug}/ctftime`);
    await play(a, `/contests/${slug}/announcements`);
    await play(a, `/contests`);
    await play(a, `/contests/${slug}`);
    await play(a, '/time');
    // Bad input must not echo the submission either.
    await play(a, '/challenges/warmup/submit', {
      flag: `${PLAIN_FLAGS.warmup}${'x'.repeat(2000)}`,
    });
    const relogin = keep(contestantResponses)(
      await request(server)
        .post(`/api/contest/public/contests/${slug}/login`)
        .send({ username: 'leakc', password: c.password }),
    );
    expect(relogin.status).toBe(200);
    const wrongLogin = keep(contestantResponses)(
      await request(server)
        .post(`/api/contest/public/contests/${slug}/login`)
        .send({ username: 'leakc', password: `${c.password}!` }),
    );
    expect(wrongLogin.status).toBe(403);

    const challengesSeen = contestantResponses.find(r =>
      pathOf(r).endsWith('/challenges'),
    )!;
    expect(challengesSeen.body.items.map((x: any) => x.name).sort()).toEqual([
      'finale',
      'pattern',
      'vault',
      'warmup',
    ]);
    expect(
      challengesSeen.body.items.find((x: any) => x.name === 'finale'),
    ).toMatchObject({ locked: true, requires: ['warmup'], description: '' });

    for (const url of [
      `/admin/contests`,
      `/admin/contests/${slug}`,
      `/admin/contests/${slug}/teams`,
      `/admin/contests/${slug}/submissions`,
      `/admin/contests/${slug}/incidents`,
      `/admin/contests/${slug}/scoreboard`,
      `/admin/challenge-stats?entityRef=challenge:default/vault`,
    ]) {
      keep(adminResponses)(await admin.get(url));
    }
    const incidents = adminResponses.find(r =>
      pathOf(r).endsWith('/incidents'),
    )!.body.items;
    expect(incidents).toEqual([
      expect.objectContaining({
        submittingTeam: 'Leak C',
        ownerTeam: 'Leak A',
        challenge: 'vault',
      }),
    ]);
    // The board follows the solves within one debounced recompute.
    let live: any;
    for (let i = 0; i < 100; i++) {
      live = keep(adminResponses)(
        await admin.get(`/admin/contests/${slug}/scoreboard`),
      ).body;
      if (live.entries[0]?.score > 0) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(live.entries.map((e: any) => e.team)).toEqual(['Leak A', 'Leak C']);

    const secrets: Record<string, string> = {
      'static flag': PLAIN_FLAGS.warmup,
      'regex flag': PLAIN_FLAGS.pattern,
      'dynamic flag A': flagA,
      'dynamic flag C': flagC,
      'dynamic flag body A': flagA.slice('flagstage{'.length, -1),
      'wrong guess': wrongGuess,
    };
    for (const p of players) {
      secrets[`password of ${p.token.slice(0, 4)}`] = p.password;
      secrets[`session token ${p.token.slice(0, 4)}`] = p.token;
    }
    if (engine === 'postgres') {
      const row = await db.knex('contest.contests').where({ id }).first();
      secrets['contest flag secret'] = row.flag_secret;
    }

    const exposed = (text: string) =>
      Object.entries(secrets)
        .filter(([, value]) => text.includes(value))
        .map(([what]) => what);
    for (const res of contestantResponses) {
      const { 'set-cookie': _ownCookie, ...headers } = res.headers;
      const text = `${JSON.stringify(headers)}\n${res.text}`;
      expect({ url: pathOf(res), exposed: exposed(text) }).toEqual({
        url: pathOf(res),
        exposed: [],
      });
    }
    for (const res of adminResponses) {
      const text = `${JSON.stringify(res.headers)}\n${res.text}`;
      expect({ url: pathOf(res), exposed: exposed(text) }).toEqual({
        url: pathOf(res),
        exposed: [],
      });
    }
    // The logs saw the run (requests, the shared-flag warning) but no secret.
    expect(
      log.lines.some(l => l.includes('Shared dynamic flag submitted')),
    ).toBe(true);
    expect(log.lines.length).toBeGreaterThan(20);
    const leakingLines = log.lines.filter(l => exposed(l).length > 0);
    expect(leakingLines).toEqual([]);
  });
});
