import http from 'node:http';
import path from 'node:path';
import Router from 'express-promise-router';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';

/** The repository root (catalog/, argo-templates/, artifacts/). */
export const repoRoot = path.resolve(__dirname, '../../../..');

export { freePort } from '@flagstage/test-utils';

/**
 * Polls `fn` until `ok` holds and returns that value; after `ms` returns the
 * last value (the caller's assertion then says what was wrong).
 */
export async function eventually<T>(
  fn: () => Promise<T>,
  ok: (t: T) => boolean,
  ms = 40_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

/** Like {@link eventually}, but throws with `what` and the last value on timeout. */
export async function until<T>(
  what: string,
  fn: () => Promise<T>,
  ok: (t: T) => boolean,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `Timed out waiting for ${what}; last: ${JSON.stringify(value)?.slice(
          0,
          400,
        )}`,
      );
    await new Promise(r => setTimeout(r, 250));
  }
}

/** An HTTP request to the gateway on 127.0.0.1 for an instance host. */
export function viaGateway(
  port: number,
  host: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
) {
  return new Promise<{ status: number; headers: any; body: string }>(
    (resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: pathAndQuery,
          headers: { host, ...headers },
        },
        res => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

/**
 * The embedded default's config for an end-to-end test: SQLite in memory,
 * the demo org and challenges from catalog/, the deployment gateway settings
 * and the embedded gateway on the given ports, optionally the demo contest.
 */
export function embeddedDefaultConfig(options: {
  ports: { http: number; tcp: number; admin: number };
  key: { kid: string; secret: string };
  /** The gateway's host domain (`gateway.localhost` resolves in Chromium). */
  domain: string;
  backend?: Record<string, unknown>;
  demoChallenges?: string[];
}) {
  const { ports, domain } = options;
  return {
    backend: {
      baseUrl: 'http://localhost:7007',
      database: { client: 'better-sqlite3', connection: ':memory:' },
      ...options.backend,
    },
    catalog: {
      rules: [{ allow: ['User', 'Group', 'Location', 'Challenge'] }],
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog/org/org.yaml') },
        {
          type: 'file',
          target: path.join(repoRoot, 'catalog/challenges/*/catalog-info.yaml'),
        },
      ],
    },
    deployment: {
      gateway: {
        keys: [options.key],
        httpUrlTemplate: `http://{instance}.${domain}:${ports.http}`,
        tcpHost: '127.0.0.1',
        tcpPort: ports.tcp,
        wsTcpUrl: `ws://${domain}:${ports.http}/tcp`,
      },
    },
    gateway: {
      embedded: {
        enabled: true,
        httpPort: ports.http,
        tcpPort: ports.tcp,
        adminPort: ports.admin,
        domain,
      },
    },
    ...(options.demoChallenges && {
      contest: {
        demo: {
          slug: 'demo',
          name: 'Flagstage demo contest',
          challenges: options.demoChallenges,
        },
      },
    }),
  };
}

/** A Challenge entity for worker tests, with the given runtime. */
export function challengeEntity(
  name: string,
  runtime: Record<string, unknown>,
  annotations?: Record<string, string>,
) {
  return {
    apiVersion: 'flagstage.io/v1alpha1',
    kind: 'Challenge',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      owner: 'group:default/ctf-authors',
      category: 'web',
      type: 'instanced',
      difficulty: 'easy',
      scoring: { function: 'static', value: 100 },
      flags: [{ kind: 'dynamic', prefix: 'flagstage' }],
      runtime,
    },
  };
}

/** Stands in for the contest plugin's runtime API: the FLAG of a team's instance. */
export function fakeContestPlugin(flagOf: (teamId: string) => string) {
  return createBackendPlugin({
    pluginId: 'contest',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = Router();
          router.get('/runtime/env', async (req, res) => {
            await httpAuth.credentials(req, { allow: ['service'] });
            res.json({ env: { FLAG: flagOf(String(req.query.teamId)) } });
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

/**
 * The deployment plugin's config for tests that call every route as one
 * external service (`external:test-service`), with a gateway signing key
 * made of `keyByte`.
 */
export function testDeploymentConfig(keyByte: number) {
  return {
    queue: { deliveryLimit: 2 },
    serviceCallers: {
      instances: ['external:test-service'],
      worker: ['external:test-service', 'plugin:deployment-worker'],
      builds: ['external:test-service'],
    },
    gateway: {
      keys: [
        { kid: 'k', secret: Buffer.alloc(32, keyByte).toString('base64') },
      ],
    },
  };
}
