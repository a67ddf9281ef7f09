import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import { DEFAULT_GATEWAY_LIMITS } from '@flagstage/plugin-gateway-common';
import {
  ADMIN,
  AUTHOR,
  OPERATOR,
  READER,
  startGatewayAdmin,
  TOKEN_ID,
} from './__testUtils__/backend';

jest.setTimeout(60_000);

const READ_ROUTES = [
  '/limits',
  '/limits/history',
  '/revocations',
  '/connections',
  '/top-talkers',
];
type Client = ReturnType<Awaited<ReturnType<typeof startGatewayAdmin>>['as']>;
/** One valid request per change route. */
const WRITES: Array<[string, (c: Client) => ReturnType<Client['get']>]> = [
  ['PUT /limits', c => c.put('/limits', { limits: {} })],
  [
    'POST /revocations',
    c => c.post('/revocations', { scope: 'team', value: 'denied-team' }),
  ],
  ['DELETE /revocations/:scope/:value', c => c.delete('/revocations/team/x')],
];

/**
 * The plugin without Redis (the embedded default), on SQLite and
 * PostgreSQL, with the real permission backend and Flagstage policy.
 */
describe.each(testDatabaseEngines())('gateway-admin plugin on %s', engine => {
  let db: TestDatabase;
  let app: Awaited<ReturnType<typeof startGatewayAdmin>>;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    app = await startGatewayAdmin({ db });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await db?.destroy();
  });

  it('serves health without credentials and says Redis is off', async () => {
    const res = await app.as().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', redis: 'disabled' });
  });

  it('refuses every other route without credentials (401)', async () => {
    const anonymous = app.as();
    for (const url of READ_ROUTES) {
      const res = await anonymous.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 401 });
    }
    for (const [name, call] of WRITES) {
      const res = await call(anonymous);
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
    }
  });

  it('lets every signed-in user read, and only operators and admins change', async () => {
    for (const user of [READER, AUTHOR, OPERATOR, ADMIN]) {
      for (const url of READ_ROUTES) {
        const res = await app.as(user).get(url);
        expect({ user, url, status: res.status }).toEqual({
          user,
          url,
          status: 200,
        });
      }
    }
    for (const user of [READER, AUTHOR]) {
      for (const [name, call] of WRITES) {
        const res = await call(app.as(user));
        expect({ user, name, status: res.status }).toEqual({
          user,
          name,
          status: 403,
        });
        expect(res.body.error.name).toBe('NotAllowedError');
      }
      // Authorisation comes before validation: no hints to the unauthorised.
      const invalid = await app
        .as(user)
        .put('/limits', { limits: { http: { perTokenRps: -1 } } });
      expect(invalid.status).toBe(403);
    }
    expect((await app.as(READER).get('/revocations')).body.items).toEqual([]);
    for (const user of [OPERATOR, ADMIN]) {
      const value = `allowed-${user.split('/')[1]}`;
      const created = await app
        .as(user)
        .post('/revocations', { scope: 'team', value });
      expect({ user, status: created.status }).toEqual({ user, status: 201 });
      const deleted = await app.as(user).delete(`/revocations/team/${value}`);
      expect({ user, status: deleted.status }).toEqual({ user, status: 200 });
    }
  });

  describe('limits', () => {
    it('starts at the defaults (version 0), not published without Redis', async () => {
      const res = await app.as(READER).get('/limits');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        limits: DEFAULT_GATEWAY_LIMITS,
        defaults: DEFAULT_GATEWAY_LIMITS,
        version: 0,
        published: false,
      });
      expect(res.body.warning).toMatch(/Redis is not configured/);
      expect(res.body.warning).toMatch(/NOT published/);
    });

    it('saves a new version with who and when, filling missing fields from the defaults', async () => {
      const before = (await app.as(OPERATOR).get('/limits')).body.version;
      const res = await app.as(OPERATOR).put('/limits', {
        limits: { http: { perTokenRps: 50, perTokenBurst: 100 } },
        baseVersion: before,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        version: before + 1,
        updatedBy: OPERATOR,
        published: false,
        limits: {
          http: {
            ...DEFAULT_GATEWAY_LIMITS.http,
            perTokenRps: 50,
            perTokenBurst: 100,
          },
          tcp: DEFAULT_GATEWAY_LIMITS.tcp,
        },
      });
      expect(Date.now() - Date.parse(res.body.updatedAt)).toBeLessThan(60_000);
      expect(res.body.warning).toMatch(/not configured/);
      const read = await app.as(READER).get('/limits');
      expect(read.body.limits).toEqual(res.body.limits);
      expect(read.body.version).toBe(before + 1);

      const history = await app.as(READER).get('/limits/history?limit=1');
      expect(history.body.items).toEqual([
        {
          version: before + 1,
          limits: res.body.limits,
          updatedBy: OPERATOR,
          updatedAt: res.body.updatedAt,
        },
      ]);
    });

    it('names every problem in one 400, and saves nothing', async () => {
      const before = (await app.as(OPERATOR).get('/limits')).body;
      const res = await app.as(OPERATOR).put('/limits', {
        limits: {
          http: { perTokenRps: -1, perIpRps: 1.5, nope: 1 },
          udp: {},
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toBe(
        'Invalid limits: http.perTokenRps: must be between 1 and 1000000; http.perIpRps: must be an integer; http.nope: unknown field; udp: unknown section',
      );
      const burst = await app
        .as(OPERATOR)
        .put('/limits', { limits: { http: { perTokenRps: 700 } } });
      expect(burst.status).toBe(400);
      expect(burst.body.error.message).toContain(
        'http.perTokenBurst: must be at least perTokenRps',
      );
      for (const body of [
        {},
        { limits: 'fast' },
        { limits: {}, baseVersion: -1 },
        { limits: {}, extra: true },
      ]) {
        const bad = await app.as(OPERATOR).put('/limits', body);
        expect({ body, status: bad.status }).toEqual({ body, status: 400 });
      }
      const after = (await app.as(OPERATOR).get('/limits')).body;
      expect(after.version).toBe(before.version);
    });

    it('refuses a save based on an outdated version (409)', async () => {
      const { version } = (await app.as(OPERATOR).get('/limits')).body;
      const first = await app.as(OPERATOR).put('/limits', {
        limits: { tcp: { maxConnectionsPerToken: 3 } },
        baseVersion: version,
      });
      expect(first.status).toBe(200);
      const stale = await app.as(ADMIN).put('/limits', {
        limits: { tcp: { maxConnectionsPerToken: 4 } },
        baseVersion: version,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.name).toBe('ConflictError');
      expect(
        (await app.as(READER).get('/limits')).body.limits.tcp
          .maxConnectionsPerToken,
      ).toBe(3);
    });

    it('lets concurrent saves from the same version produce one winner', async () => {
      const { version } = (await app.as(OPERATOR).get('/limits')).body;
      const results = await Promise.all(
        [5, 6, 7, 8].map(n =>
          app.as(OPERATOR).put('/limits', {
            limits: { tcp: { maxConnectionsPerToken: n } },
            baseVersion: version,
          }),
        ),
      );
      const statuses = results.map(r => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      const winner = results.find(r => r.status === 200)!;
      const now = (await app.as(READER).get('/limits')).body;
      expect(now.version).toBe(version + 1);
      expect(now.limits).toEqual(winner.body.limits);
    });
  });

  describe('revocations', () => {
    it('revokes with who, when and why, newest first, and refuses duplicates (409)', async () => {
      const a = await app.as(OPERATOR).post('/revocations', {
        scope: 'instance',
        value: ' inst-42 ',
        reason: 'flag sharing',
      });
      expect(a.status).toBe(201);
      expect(a.body).toMatchObject({
        revocation: {
          scope: 'instance',
          value: 'inst-42',
          reason: 'flag sharing',
          by: OPERATOR,
        },
        published: false,
      });
      expect(a.body.warning).toMatch(/not configured/);
      const b = await app
        .as(OPERATOR)
        .post('/revocations', { scope: 'token', value: TOKEN_ID });
      expect(b.status).toBe(201);
      expect(b.body.revocation).not.toHaveProperty('reason');

      const dup = await app
        .as(ADMIN)
        .post('/revocations', { scope: 'instance', value: 'inst-42' });
      expect(dup.status).toBe(409);
      expect(dup.body.error.name).toBe('ConflictError');
      // The same value in another scope is another revocation.
      const other = await app
        .as(ADMIN)
        .post('/revocations', { scope: 'team', value: 'inst-42' });
      expect(other.status).toBe(201);

      const list = await app.as(READER).get('/revocations');
      expect(list.body.published).toBe(false);
      const mine = list.body.items.filter((r: any) =>
        ['inst-42', TOKEN_ID].includes(r.value),
      );
      expect(mine.map((r: any) => `${r.scope}:${r.value}`)).toEqual([
        'team:inst-42',
        `token:${TOKEN_ID}`,
        'instance:inst-42',
      ]);
      expect(mine[2].at).toBe(a.body.revocation.at);
    });

    it('validates scope, value per scope, reason and unknown fields (400)', async () => {
      for (const body of [
        { scope: 'user', value: 'x' },
        { scope: 'team', value: '' },
        { scope: 'team', value: 'white space' },
        { scope: 'team', value: 'x'.repeat(129) },
        { scope: 'token', value: 'not-a-token-id' },
        { scope: 'token', value: TOKEN_ID.toUpperCase() },
        { scope: 'team', value: 't', reason: 'r'.repeat(501) },
        { scope: 'team', value: 't', extra: 1 },
        { value: 't' },
      ]) {
        const res = await app.as(OPERATOR).post('/revocations', body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.error.name).toBe('InputError');
      }
      const res = await app
        .as(OPERATOR)
        .post('/revocations', { scope: 'token', value: 'nope' });
      expect(res.body.error.message).toMatch(/^value: a token id is 32/);
    });

    it('un-revokes (values may hold / and :), 404 when not revoked, 400 on a bad scope', async () => {
      const value = 'ns/inst:7@x';
      const created = await app
        .as(OPERATOR)
        .post('/revocations', { scope: 'instance', value, reason: 'abuse' });
      expect(created.status).toBe(201);
      const path = `/revocations/instance/${encodeURIComponent(value)}`;
      const deleted = await app.as(OPERATOR).delete(path);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toMatchObject({
        deleted: { scope: 'instance', value, reason: 'abuse', by: OPERATOR },
        published: false,
      });
      const again = await app.as(OPERATOR).delete(path);
      expect(again.status).toBe(404);
      expect(again.body.error.name).toBe('NotFoundError');
      const list = await app.as(READER).get('/revocations');
      expect(list.body.items.map((r: any) => r.value)).not.toContain(value);
      expect(
        (await app.as(OPERATOR).delete('/revocations/user/x')).status,
      ).toBe(400);
      expect(
        (await app.as(OPERATOR).delete('/revocations/token/abc')).status,
      ).toBe(400);
    });
  });

  describe('live data without Redis', () => {
    it('answers empty connections and top talkers with a note', async () => {
      const res = await app.as(READER).get('/connections?team=t1');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        available: false,
        replicas: [],
        connections: [],
      });
      expect(res.body.note).toMatch(/Redis is not configured/);
      const top = await app.as(READER).get('/top-talkers');
      expect(top.body).toMatchObject({
        available: false,
        teams: [],
        instances: [],
      });
      expect(top.body.note).toMatch(/Redis is not configured/);
    });

    it('validates query parameters', async () => {
      for (const url of [
        '/top-talkers?limit=0',
        '/top-talkers?limit=101',
        '/top-talkers?limit=ten',
        `/connections?team=${'x'.repeat(129)}`,
        '/connections?team=a&team=b',
        '/limits/history?limit=0',
      ]) {
        const res = await app.as(READER).get(url);
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
      }
    });
  });
});

/** Redis configured but down: the database still takes every change, and the answers say so. */
describe('gateway-admin plugin with Redis unreachable', () => {
  let db: TestDatabase;
  let app: Awaited<ReturnType<typeof startGatewayAdmin>>;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await startGatewayAdmin({
      db,
      // Nothing listens on port 1.
      gatewayAdmin: { redis: { url: 'redis://127.0.0.1:1', keyPrefix: 'x:' } },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await db?.destroy();
  });

  it('saves changes, answers published: false with a warning, and reports Redis down', async () => {
    expect((await app.as().get('/health')).body).toEqual({
      status: 'ok',
      redis: 'down',
    });
    const saved = await app
      .as(OPERATOR)
      .put('/limits', { limits: { tcp: { maxConnections: 10 } } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, published: false });
    expect(saved.body.warning).toMatch(/Redis is unreachable/);
    expect((await app.as(READER).get('/limits')).body.limits.tcp).toMatchObject(
      { maxConnections: 10 },
    );

    const revoked = await app
      .as(OPERATOR)
      .post('/revocations', { scope: 'team', value: 't1' });
    expect(revoked.status).toBe(201);
    expect(revoked.body.published).toBe(false);
    const list = await app.as(READER).get('/revocations');
    expect(list.body).toMatchObject({
      published: false,
      items: [{ scope: 'team', value: 't1' }],
    });

    const live = await app.as(READER).get('/connections');
    expect(live.body).toMatchObject({ available: false, connections: [] });
    expect(live.body.note).toMatch(/unreachable/);
  });
});
