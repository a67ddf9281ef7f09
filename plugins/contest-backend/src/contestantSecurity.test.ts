import crypto from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import { HOUR, PLAIN_FLAGS, testChallenges } from './__testUtils__/fixtures';
import { contestPlugin } from './plugin';

jest.setTimeout(120_000);

const BACKEND = 'http://localhost:7007';
const APP = 'http://localhost:3000';
const ADMIN = mockCredentials.user.header('user:default/ada');

/**
 * What an attacking contestant can reach of the contestant API, through the
 * plugin in a test backend (real database, default permissions mock). Each
 * client speaks from its own loopback address (127.x.y.z, bound as the
 * source address of its connections), so the per-address limits of one test
 * do not touch another.
 */
describe.each(testDatabaseEngines())(
  'contestant API security on %s',
  engine => {
    let db: TestDatabase;
    let server: any;
    let stop: () => Promise<void>;
    let addresses = 0;
    let slugs = 0;
    const agents = new Map<string, http.Agent>();
    /** An HTTP agent whose connections come from `address`. */
    const from = (address: string) => {
      if (!agents.has(address))
        agents.set(address, new http.Agent({ localAddress: address }));
      return agents.get(address)!;
    };

    beforeAll(async () => {
      db = await createTestDatabase(engine);
      const backend = await startTestBackend({
        features: [
          databaseServiceFactory,
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: APP },
              backend: {
                baseUrl: BACKEND,
                database: {
                  ...db.config,
                  ...(engine === 'postgres'
                    ? { pluginDivisionMode: 'schema' }
                    : {}),
                },
              },
              contest: {
                public: {
                  failedLoginsPerAddress: 15,
                  registrationsPerAddressPerHour: 5,
                },
              },
            },
          }),
          catalogServiceMock.factory({
            entities: Object.values(testChallenges),
          }),
          contestPlugin,
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      for (const agent of agents.values()) agent.destroy();
      await stop?.();
      await db?.destroy();
    });

    /** `fn()`'s body once `ok` holds for it (the scoreboard is recomputed off the request path). */
    async function eventually(
      fn: () => Promise<request.Response>,
      ok: (body: any) => boolean,
    ) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const body = (await fn()).body;
        if (ok(body) || Date.now() > deadline) return body;
        await new Promise(r => setTimeout(r, 100));
      }
    }

    const newAddress = () => {
      addresses += 1;
      return `127.${engine === 'sqlite' ? 1 : 2}.${addresses >> 8}.${
        addresses & 255
      }`;
    };

    async function createContest(extra: object = {}) {
      slugs += 1;
      const now = Date.now();
      const res = await request(server)
        .post('/api/contest/admin/contests')
        .set('Authorization', ADMIN)
        .send({
          slug: `sec-${slugs}`,
          name: `Security ${slugs}`,
          startsAt: new Date(now - HOUR).toISOString(),
          endsAt: new Date(now + HOUR).toISOString(),
          ...extra,
        });
      expect(res.status).toBe(201);
      for (const name of Object.keys(testChallenges)) {
        const attached = await request(server)
          .post(`/api/contest/admin/contests/${res.body.slug}/challenges`)
          .set('Authorization', ADMIN)
          .send({ entityRef: `challenge:default/${name}`, hidden: false });
        expect(attached.status).toBe(201);
      }
      return res.body.slug as string;
    }

    /** A contestant speaking from its own address, with its session cookie. */
    async function contestant(slug: string, username: string, team?: string) {
      const address = newAddress();
      const password = `pw-${username}-long-enough`;
      const res = await request(server)
        .post(`/api/contest/public/contests/${slug}/register`)
        .agent(from(address))
        .send({ username, password });
      expect(res.status).toBe(201);
      const cookie = /flagstage_session=[^;]+/.exec(
        String(res.headers['set-cookie']),
      )![0];
      const call = (method: 'get' | 'post' | 'delete', path: string) =>
        (request(server) as any)
          [method](`/api/contest/public${path}`)
          .agent(from(address))
          .set('Cookie', cookie) as request.Test;
      let teamId = '';
      if (team) {
        const created = await call('post', '/teams').send({ name: team });
        expect(created.status).toBe(201);
        teamId = created.body.id;
      }
      return { call, address, password, teamId, username };
    }

    describe('cross-site requests (1)', () => {
      it('refuses state-changing requests from foreign and instance origins, and non-JSON bodies', async () => {
        const slug = await createContest();
        const me = await contestant(slug, 'csrfvictim', 'CSRF team');
        const unlock = () =>
          me.call('post', '/challenges/vault/hints/0/unlock');
        for (const origin of [
          'https://evil.example',
          'http://x.gateway.localhost:8080',
          'http://localhost:7007.evil.example',
          'null',
        ]) {
          const res = await unlock().set('Origin', origin).send({});
          expect({ origin, status: res.status }).toEqual({
            origin,
            status: 403,
          });
        }
        const sameSite = await unlock().set('Sec-Fetch-Site', 'same-site');
        expect(sameSite.status).toBe(403);
        for (const [method, path] of [
          ['post', '/logout'],
          ['post', '/teams/leave'],
          ['delete', '/challenges/vault/instance'],
          ['post', '/challenges/vault/instance'],
        ] as const) {
          const res = await me
            .call(method, path)
            .set('Origin', 'http://x.gateway.localhost:8080');
          expect({ path, status: res.status }).toEqual({ path, status: 403 });
        }
        const form = await me
          .call('post', '/challenges/warmup/submit')
          .set('Origin', BACKEND)
          .set('Content-Type', 'text/plain')
          .send(JSON.stringify({ flag: PLAIN_FLAGS.warmup }));
        expect(form.status).toBe(415);
        // The app's own origins pass, with and without a body.
        const own = await unlock().set('Origin', BACKEND).send({});
        expect(own.status).toBe(200);
        const app = await me
          .call('post', '/challenges/warmup/submit')
          .set('Origin', APP)
          .send({ flag: PLAIN_FLAGS.warmup });
        expect(app.body).toEqual({ correct: true, alreadySolved: false });
        const out = await me
          .call('post', '/logout')
          .set('Origin', BACKEND)
          .set('Sec-Fetch-Site', 'same-origin');
        expect(out.status).toBe(204);
      });
    });

    describe('login throttle (2, 3)', () => {
      const login = (
        slug: string,
        address: string,
        username: string,
        password: string,
      ) =>
        request(server)
          .post(`/api/contest/public/contests/${slug}/login`)
          .agent(from(address))
          .send({ username, password });

      it('lets at most 10 of 200 parallel wrong logins reach the password check', async () => {
        const slug = await createContest();
        const me = await contestant(slug, 'raced');
        const scrypt = jest.spyOn(crypto, 'scrypt');
        try {
          const results = await Promise.all(
            Array.from({ length: 200 }, (_, i) =>
              login(slug, me.address, 'raced', `wrong-password-${i}`),
            ),
          );
          const statuses = results.map(r => r.status);
          expect(statuses.filter(s => s === 403).length).toBeLessThanOrEqual(
            10,
          );
          expect(statuses.filter(s => s === 429).length).toBeGreaterThanOrEqual(
            190,
          );
          expect(scrypt.mock.calls.length).toBeLessThanOrEqual(10);
        } finally {
          scrypt.mockRestore();
        }
      });

      it('does not let a stranger lock the owner out, and slows one address spraying usernames', async () => {
        const slug = await createContest();
        const owner = await contestant(slug, 'owner');
        const stranger = newAddress();
        for (let i = 0; i < 12; i++)
          await login(slug, stranger, 'owner', `wrong-password-${i}`);
        expect(
          (await login(slug, stranger, 'owner', owner.password)).status,
        ).toBe(429);
        expect(
          (await login(slug, owner.address, 'owner', owner.password)).status,
        ).toBe(200);

        const sprayer = newAddress();
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++)
          statuses.push(
            (await login(slug, sprayer, `user${i}`, 'password-guess-1')).status,
          );
        // failedLoginsPerAddress is 15 in this backend.
        expect(statuses.slice(0, 15).every(s => s === 403)).toBe(true);
        expect(statuses.slice(15).every(s => s === 429)).toBe(true);
      });

      it('limits registrations per address', async () => {
        const slug = await createContest();
        const address = newAddress();
        const statuses = [];
        for (let i = 0; i < 6; i++) {
          const res = await request(server)
            .post(`/api/contest/public/contests/${slug}/register`)
            .agent(from(address))
            .send({ username: `many${i}`, password: 'long enough password' });
          statuses.push(res.status);
        }
        expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
      });
    });

    describe('the freeze (5)', () => {
      it('shows values, solve counts, the board and the feed from pre-freeze solves only', async () => {
        const now = Date.now();
        const slug = await createContest({
          startsAt: new Date(now - 2 * HOUR).toISOString(),
          freezeAt: new Date(now - HOUR).toISOString(),
        });
        const solver = await contestant(slug, 'latesolver', 'Late');
        const other = await contestant(slug, 'watcher', 'Watcher');
        const solved = await solver
          .call('post', '/challenges/pattern/submit')
          .send({ flag: PLAIN_FLAGS.pattern });
        expect(solved.body.correct).toBe(true);
        const live = await eventually(
          () =>
            request(server)
              .get(`/api/contest/admin/contests/${slug}/scoreboard`)
              .set('Authorization', ADMIN),
          body => body.entries?.length > 0,
        );
        expect(live.entries[0]).toMatchObject({ team: 'Late' });

        const pattern = async (who: typeof solver) =>
          (await who.call('get', '/challenges')).body.items.find(
            (c: any) => c.name === 'pattern',
          );
        const seen = await pattern(other);
        const own = await pattern(solver);
        expect(seen).toMatchObject({ solves: 0, solved: false });
        // A team's own solved mark is the one live figure it sees.
        expect(own).toMatchObject({ solves: 0, solved: true });
        expect(own.value).toBe(seen.value);

        const board = await request(server).get(
          `/api/contest/public/contests/${slug}/scoreboard`,
        );
        expect(board.body.frozen).toBe(true);
        expect(board.body.entries).toEqual([]);
        expect(board.body.top10Series).toEqual([]);
        const feed = await request(server).get(
          `/api/contest/public/contests/${slug}/ctftime`,
        );
        expect(feed.body).toEqual({ standings: [] });
      });
    });

    describe('team abuse (6)', () => {
      it('caps teams per contestant and keeps empty teams off the board and feed', async () => {
        const slug = await createContest();
        const me = await contestant(slug, 'cycler');
        for (let i = 0; i < 3; i++) {
          expect(
            (await me.call('post', '/teams').send({ name: `Cycle ${i}` }))
              .status,
          ).toBe(201);
          expect((await me.call('post', '/teams/leave')).status).toBe(204);
        }
        const fourth = await me
          .call('post', '/teams')
          .send({ name: 'Cycle 3' });
        expect(fourth.status).toBe(403);
        expect(fourth.body.error.message).toMatch(/more than 3 teams/);

        const solver = await contestant(slug, 'boardsolver', 'On the board');
        await solver
          .call('post', '/challenges/warmup/submit')
          .send({ flag: PLAIN_FLAGS.warmup });
        await contestant(slug, 'nosolves', 'No solves yet');
        const board = await eventually(
          () =>
            request(server).get(
              `/api/contest/public/contests/${slug}/scoreboard`,
            ),
          body => body.entries?.length > 0,
        );
        expect(board.entries.map((e: any) => e.team)).toEqual(['On the board']);
        const feed = await request(server).get(
          `/api/contest/public/contests/${slug}/ctftime`,
        );
        expect(feed.body.standings.map((s: any) => s.team)).toEqual([
          'On the board',
        ]);
        expect(Object.keys(feed.body.standings[0]).sort()).toEqual([
          'pos',
          'score',
          'team',
        ]);
      });

      it('carries a ban to the members: they cannot create or join teams', async () => {
        const slug = await createContest();
        const cheat = await contestant(slug, 'cheater', 'Cheaters');
        const open = await contestant(slug, 'honest', 'Honest');
        const invite = (await open.call('get', '/me')).body.team.inviteCode;
        const banned = await request(server)
          .post(`/api/contest/admin/contests/${slug}/teams/${cheat.teamId}/ban`)
          .set('Authorization', ADMIN)
          .send({ banned: true, reason: 'flag sharing' });
        expect(banned.status).toBe(200);
        expect((await cheat.call('post', '/teams/leave')).status).toBe(204);
        const create = await cheat
          .call('post', '/teams')
          .send({ name: 'Again' });
        expect(create.status).toBe(403);
        const join = await cheat
          .call('post', '/teams/join')
          .send({ inviteCode: invite });
        expect(join.status).toBe(403);
      });

      it('closes registration when the contest has ended', async () => {
        const now = Date.now();
        const slug = await createContest({
          startsAt: new Date(now - 2 * HOUR).toISOString(),
          endsAt: new Date(now - HOUR).toISOString(),
        });
        const res = await request(server)
          .post(`/api/contest/public/contests/${slug}/register`)
          .agent(from(newAddress()))
          .send({ username: 'toolate', password: 'long enough password' });
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/closed/);
      });
    });

    describe('names (7)', () => {
      it('normalises names, refuses invisible characters, overlong and look-alike names', async () => {
        const slug = await createContest();
        const first = await contestant(slug, 'admin1', 'Paypal');
        expect(first.teamId).not.toBe('');
        const me = await contestant(slug, 'namer');
        const create = (name: string) =>
          me.call('post', '/teams').send({ name });
        for (const name of [
          'Team\u202Eevil', // bidi override
          'Te\u200Bam', // zero-width space
          'Tab\u0007bell', // control
          'x'.repeat(65),
        ]) {
          const res = await create(name);
          expect({ name, status: res.status }).toEqual({ name, status: 400 });
        }
        const cyrillic = await create('P\u0430ypal'); // Cyrillic а
        expect(cyrillic.status).toBe(409);
        const fullwidth = await create('\uFF30aypal'); // fullwidth Ｐ: NFKC makes it Paypal
        expect(fullwidth.status).toBe(409);
        const ok = await create('\uFF2E\uFF4F\uFF52\uFF4D  team');
        expect(ok.status).toBe(201);
        expect(ok.body.name).toBe('Norm team');

        const lookAlike = await request(server)
          .post(`/api/contest/public/contests/${slug}/register`)
          .agent(from(newAddress()))
          .send({ username: 'adminl', password: 'long enough password' });
        expect(lookAlike.status).toBe(409);
      });
    });
  },
);
