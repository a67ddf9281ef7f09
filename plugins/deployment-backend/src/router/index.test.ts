import express from 'express';
import request from 'supertest';
import { migrationsDirectory } from '@flagstage/backend-node';
import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestDatabase, type TestDatabase } from '@flagstage/test-utils';
import { InMemoryJobQueue } from '@flagstage/plugin-deployment-node';
import { readDeploymentConfig } from '../config';
import { InstanceStore } from '../database/InstanceStore';
import { InstanceService } from '../services/InstanceService';
import { createRouter } from './index';
import { Callers } from './callers';

const entity = (name: string) => ({
  apiVersion: 'flagstage.io/v1alpha1',
  kind: 'Challenge',
  metadata: { name, namespace: 'default' },
  spec: {
    owner: 'group:default/a',
    category: 'web',
    type: 'instanced',
    difficulty: 'easy',
    scoring: { function: 'static', value: 1 },
    flags: [{ kind: 'dynamic', prefix: 'flagstage' }],
    runtime: { protocol: 'http', port: 3333, ttlSeconds: 600 },
  },
});

/** An `Authorization` header for a call from this service principal. */
const as = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'deployment',
  });
/** The worker's credentials, for its own routes (`/internal`). */
const worker = as('plugin:deployment-worker');

describe('deployment router', () => {
  let db: TestDatabase;
  let store: InstanceStore;
  let app: express.Express;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    await db.knex.migrate.latest({
      directory: migrationsDirectory('@flagstage/plugin-deployment-backend'),
    });
    store = new InstanceStore(db.knex);
    const queue = new InMemoryJobQueue({});
    const config = readDeploymentConfig(
      new ConfigReader({
        deployment: {
          maxActivePerTeam: 100,
          gateway: {
            keys: [
              { kid: 'k', secret: Buffer.alloc(32, 3).toString('base64') },
            ],
          },
        },
      }),
    );
    const instances = new InstanceService(
      store,
      queue,
      CacheManager.fromConfig(
        new ConfigReader({ backend: { cache: { store: 'memory' } } }),
      ).forPlugin('deployment'),
      config,
      mockServices.logger.mock(),
      async ref => entity(ref.split('/')[1]) as any,
    );
    app = express();
    app.use(
      createRouter({
        instances,
        store,
        queue,
        callers: new Callers(
          // Calls come from the contest plugin with service credentials.
          mockServices.httpAuth({
            pluginId: 'deployment',
            defaultCredentials: mockCredentials.service('plugin:contest'),
          }),
          mockServices.permissions.mock({
            authorize: async () => [{ result: AuthorizeResult.ALLOW }],
          }),
          config.serviceCallers,
        ),
      }),
    );
    app.use(
      MiddlewareFactory.create({
        config: new ConfigReader({}),
        logger: mockServices.logger.mock(),
      }).error(),
    );
    // Seven instances of one team, created in order.
    for (let i = 0; i < 7; i++) {
      const res = await request(app)
        .post('/instances')
        .send({
          contestId: 'c1',
          teamId: 't1',
          challengeRef: `challenge:default/chal-${i}`,
        });
      if (res.status !== 202)
        throw new Error(`setup: start answered ${res.status}`);
    }
  });
  afterAll(() => db.destroy());

  it('pages the list newest first with an opaque cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    const times: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(app)
        .get('/instances')
        .query({ contestId: 'c1', limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(
        ...res.body.items.map((i: { challenge: string }) => i.challenge),
      );
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    // Every instance exactly once (rows created in the same millisecond are
    // ordered by id, so only the set and the time order are fixed).
    expect([...seen].sort()).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map(i => `chal-${i}`),
    );
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('filters by state and refuses unknown states instead of ignoring them', async () => {
    const ok = await request(app)
      .get('/instances')
      .query({ state: 'QUEUED,RUNNING' });
    expect(ok.status).toBe(200);
    expect(ok.body.items).toHaveLength(7);
    const none = await request(app)
      .get('/instances')
      .query({ state: 'RUNNING' });
    expect(none.body.items).toHaveLength(0);

    const bad = await request(app)
      .get('/instances')
      .query({ state: 'QUEUED,RUNING' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe('InputError');
    expect(bad.body.error.message).toMatch(/unknown state RUNING/);
  });

  it('refuses malformed limits and cursors with 400', async () => {
    for (const query of [{ limit: 0 }, { limit: 'ten' }, { limit: 501 }]) {
      const res = await request(app).get('/instances').query(query);
      expect(res.status).toBe(400);
    }
    const res = await request(app)
      .get('/instances')
      .query({ cursor: 'not-a-cursor' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/cursor/);
  });

  it('answers 409, not 403, when an instance cannot be extended in its state', async () => {
    const [first] = (await request(app).get('/instances').query({ limit: 1 }))
      .body.items;
    const res = await request(app).post(`/instances/${first.id}/extend`);
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('ConflictError');
    expect(res.body.error.message).toMatch(/Only a running instance/);
  });

  it('stores the newest workflow report of an instance and shows it to readers', async () => {
    const [first] = (await request(app).get('/instances').query({ limit: 1 }))
      .body.items;
    expect(
      (await request(app).get(`/instances/${first.id}/workflow`)).body,
    ).toEqual({ workflow: null });
    const report = (phase: string, observedAt: string) => ({
      name: `start-${first.id}`,
      phase,
      observedAt,
      nodes: [
        {
          name: `start-${first.id}-1`,
          displayName: 'namespace',
          type: 'Pod',
          phase: 'Succeeded',
        },
      ],
    });
    const post = (body: object, id = first.id) =>
      request(app)
        .post(`/internal/instances/${id}/workflow`)
        .set('authorization', worker)
        .send(body);

    expect((await post(report('Running', '2026-11-23T04:00:02Z'))).status).toBe(
      204,
    );
    // A late report older than the stored one does not overwrite it.
    expect((await post(report('Pending', '2026-11-23T04:00:01Z'))).status).toBe(
      409,
    );
    const shown = await request(app).get(`/instances/${first.id}/workflow`);
    expect(shown.body.workflow).toMatchObject({
      name: `start-${first.id}`,
      phase: 'Running',
      observedAt: '2026-11-23T04:00:02.000Z',
      nodes: [{ displayName: 'namespace', phase: 'Succeeded' }],
    });

    expect((await post(report('Running', 'yesterday'))).status).toBe(400);
    expect(
      (await post(report('Running', '2026-11-23T04:00:03Z'), 'no-such-id'))
        .status,
    ).toBe(404);
  });

  describe('service callers', () => {
    const some = async () =>
      (await request(app).get('/instances').query({ limit: 1 })).body.items[0]
        .id as string;
    const teamRoutes = (id: string) => [
      request(app).post('/instances').send({
        contestId: 'c1',
        teamId: 't9',
        challengeRef: 'challenge:default/chal-x',
      }),
      request(app).post(`/instances/${id}/stop`),
      request(app).post(`/instances/${id}/extend`),
      request(app).get(`/instances/${id}`).query({ access: 'true' }),
      request(app).get('/instances'),
      request(app)
        .get('/active')
        .query({ contestId: 'c1', teamId: 't1', challengeRef: 'x' }),
    ];
    const workerRoutes = (id: string) => [
      request(app).get(`/internal/instances/${id}`),
      request(app).get('/internal/instances'),
      request(app)
        .post(`/internal/instances/${id}/transition`)
        .send({ from: ['QUEUED'], to: 'DEPLOYING' }),
      request(app).post(`/internal/instances/${id}/output`).send({ lines: [] }),
      request(app).post('/internal/instances/cache').send({ ids: [] }),
    ];

    it.each(['plugin:catalog', 'plugin:scaffolder', 'external:ci-bot'])(
      'refuses %s on every instance and worker route (403)',
      async subject => {
        const id = await some();
        for (const call of [...teamRoutes(id), ...workerRoutes(id)]) {
          const res = await call.set('authorization', as(subject));
          expect(res.status).toBe(403);
        }
        const instance = await request(app).get(`/instances/${id}`);
        expect(instance.body.state).toBe('QUEUED');
      },
    );

    it('lets the worker use its own routes only, and the contest plugin the team routes only', async () => {
      const id = await some();
      for (const call of teamRoutes(id))
        expect((await call.set('authorization', worker)).status).toBe(403);
      for (const call of workerRoutes(id).slice(0, 2))
        expect(
          (await call.set('authorization', as('plugin:contest'))).status,
        ).toBe(403);
      expect(
        (
          await request(app)
            .get(`/internal/instances/${id}`)
            .set('authorization', worker)
        ).status,
      ).toBe(200);
      expect((await request(app).get(`/instances/${id}`)).status).toBe(200);
    });
  });
});
