import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import permissionPlugin from '@backstage/plugin-permission-backend';
import catalogModuleChallenges from '@flagstage/plugin-catalog-backend-module-challenges';
import permissionModuleFlagstagePolicy from '@flagstage/plugin-permission-backend-module-flagstage-policy';
import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';

const repoRoot = path.resolve(__dirname, '../../..');

jest.setTimeout(60_000);

/**
 * Smoke test of the portal backend on each database engine: the catalog's
 * migrations run, the demo org and challenges load through the Challenge
 * processor, and a broken challenge file surfaces a processing error that
 * names the field (without echoing the flag).
 */
describe.each(testDatabaseEngines())('portal backend on %s', engine => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const backend = await startTestBackend({
      features: [
        databaseServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: {
                ...db.config,
                ...(engine === 'postgres'
                  ? { pluginDivisionMode: 'schema' }
                  : {}),
              },
            },
            catalog: {
              rules: [{ allow: ['User', 'Group', 'Location', 'Challenge'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(repoRoot, 'catalog/org/org.yaml'),
                },
                {
                  type: 'file',
                  target: path.join(
                    repoRoot,
                    'catalog/challenges/*/catalog-info.yaml',
                  ),
                },
                {
                  type: 'file',
                  target: path.join(
                    __dirname,
                    '__fixtures__/broken-challenge.yaml',
                  ),
                },
              ],
            },
          },
        }),
        catalogPlugin,
        catalogModuleChallenges,
        catalogModuleUnprocessed,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  }, 60_000);

  afterAll(async () => {
    await stop?.();
    await db?.destroy();
  });

  const get = (url: string) =>
    request(server)
      .get(url)
      .set('Authorization', mockCredentials.user.header());

  async function eventually<T>(
    fn: () => Promise<T>,
    ok: (t: T) => boolean,
  ): Promise<T> {
    const deadline = Date.now() + 40_000;
    for (;;) {
      const value = await fn();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise(r => setTimeout(r, 250));
    }
  }

  it('lists the demo challenges as kind Challenge, owned by groups, with the Kubernetes selector', async () => {
    const res = await eventually(
      () => get('/api/catalog/entities/by-query?filter=kind=challenge'),
      r =>
        r.status === 200 &&
        r.body.items.length >= 4 &&
        r.body.items.every((e: any) => (e.relations ?? []).length > 0),
    );
    expect(res.status).toBe(200);
    const names = res.body.items.map((e: any) => e.metadata.name).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'crypto-xor-notes',
        'tcp-math-oracle',
        'web-cookie-jar',
        'web-team-vault',
      ]),
    );
    expect(names).not.toContain('broken-challenge');
    for (const entity of res.body.items) {
      expect(
        entity.metadata.annotations['backstage.io/kubernetes-label-selector'],
      ).toBe(`flagstage.io/challenge=${entity.metadata.name}`);
      expect(entity.relations).toContainEqual(
        expect.objectContaining({
          type: 'ownedBy',
          targetRef: 'group:default/ctf-authors',
        }),
      );
    }
    const oracle = res.body.items.find(
      (e: any) => e.metadata.name === 'tcp-math-oracle',
    );
    expect(oracle.relations).toContainEqual(
      expect.objectContaining({
        type: 'dependsOn',
        targetRef: 'challenge:default/web-cookie-jar',
      }),
    );
  });

  it('shows the owning group its challenges', async () => {
    const res = await eventually(
      () => get('/api/catalog/entities/by-name/group/default/ctf-authors'),
      r =>
        r.status === 200 &&
        r.body.relations.filter((x: any) => x.type === 'ownerOf').length >= 4,
    );
    const owned = res.body.relations
      .filter((x: any) => x.type === 'ownerOf')
      .map((x: any) => x.targetRef);
    expect(owned).toEqual(
      expect.arrayContaining(['challenge:default/web-cookie-jar']),
    );
  });

  it('reports a broken challenge file as a processing error naming the fields', async () => {
    // A never-valid entity has no final row yet, so the unprocessed-entities
    // module lists it as pending, with the processing errors attached.
    const findBroken = async () => {
      const [pending, failed] = await Promise.all([
        get('/api/catalog/entities/unprocessed/pending'),
        get('/api/catalog/entities/unprocessed/failed'),
      ]);
      return [
        ...(pending.body.entities ?? []),
        ...(failed.body.entities ?? []),
      ].find(
        (e: any) =>
          e.unprocessed_entity?.metadata?.name === 'broken-challenge' &&
          e.errors?.length,
      );
    };
    const broken = await eventually(findBroken, e => e !== undefined);
    expect(broken).toBeDefined();
    const messages = broken.errors.map((e: any) => e.message).join('\n');
    expect(messages).toMatch(
      /spec\.flags\[0\]\.value: plaintext static flags are refused/,
    );
    expect(messages).toMatch(/spec\.runtime\.port: must be <= 65535/);
    expect(messages).not.toContain('never_in_the_catalog');
  });

  if (engine === 'postgres') {
    it('ran the catalog migrations inside the per-suite database', async () => {
      const rows = await db.knex('catalog.final_entities').count({ n: '*' });
      expect(Number(rows[0].n)).toBeGreaterThanOrEqual(10);
      const migrations = await db
        .knex('catalog.knex_migrations')
        .count({ n: '*' });
      expect(Number(migrations[0].n)).toBeGreaterThan(0);
    });
  }
});

describe('permission policy wiring', () => {
  const ownership: Record<string, string[]> = {
    'user:default/ada': ['user:default/ada', 'group:default/ctf-admins'],
    'user:default/olga': ['user:default/olga', 'group:default/ctf-operators'],
    'user:default/rita': ['user:default/rita'],
  };
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

  it('answers /authorize with the Flagstage roles', async () => {
    const backend = await startTestBackend({
      features: [
        userInfoFactory,
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
        permissionPlugin,
        permissionModuleFlagstagePolicy,
      ],
    });
    try {
      const ask = async (user: string, name: string, action: string) => {
        const res = await request(backend.server)
          .post('/api/permission/authorize')
          .set('Authorization', mockCredentials.user.header(user))
          .send({
            items: [
              {
                id: '1',
                permission: { type: 'basic', name, attributes: { action } },
              },
            ],
          });
        expect(res.status).toBe(200);
        return res.body.items[0].result;
      };
      expect(
        await ask('user:default/ada', 'flagstage.contest.update', 'update'),
      ).toBe('ALLOW');
      expect(
        await ask('user:default/olga', 'flagstage.contest.update', 'update'),
      ).toBe('DENY');
      expect(
        await ask('user:default/olga', 'flagstage.instance.stop', 'delete'),
      ).toBe('ALLOW');
      expect(
        await ask('user:default/rita', 'flagstage.instance.stop', 'delete'),
      ).toBe('DENY');
      // Contest data is for operators and admins; other reads are open.
      expect(
        await ask('user:default/rita', 'flagstage.contest.read', 'read'),
      ).toBe('DENY');
      expect(
        await ask('user:default/olga', 'flagstage.contest.read', 'read'),
      ).toBe('ALLOW');
      // Logs (they name teams and instances) are for operators and admins only.
      expect(
        await ask('user:default/rita', 'flagstage.logs.read', 'read'),
      ).toBe('DENY');
      expect(
        await ask('user:default/olga', 'flagstage.logs.read', 'read'),
      ).toBe('ALLOW');
      // Other Flagstage reads stay open to every signed-in user.
      expect(
        await ask('user:default/rita', 'flagstage.instance.read', 'read'),
      ).toBe('ALLOW');
    } finally {
      await backend.stop();
    }
  });
});
