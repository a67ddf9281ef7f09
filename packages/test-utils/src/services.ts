import { spawnSync } from 'node:child_process';
import { redactUrl } from '@flagstage/backend-node';

/** Services the integration tests talk to over real connections. @public */
export type TestService = 'postgres' | 'redis' | 'rabbitmq';

/**
 * Connection URLs, from env with this machine's defaults:
 * `FLAGSTAGE_TEST_POSTGRES_URL`, `FLAGSTAGE_TEST_REDIS_URL`, `FLAGSTAGE_TEST_AMQP_URL`.
 *
 * @public
 */
export const testServiceUrls: Record<TestService, string> = {
  postgres:
    process.env.FLAGSTAGE_TEST_POSTGRES_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres',
  redis: process.env.FLAGSTAGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  rabbitmq:
    process.env.FLAGSTAGE_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};

/**
 * The ids of `@backstage/backend-test-utils`' `TestDatabases` / `TestCaches`
 * that stand for this machine's PostgreSQL and Redis. The ids name a server
 * version, but only select which connection-string env the library reads.
 *
 * @public
 */
export const backstageTestIds = {
  postgres: 'POSTGRES_15',
  redis: 'REDIS_7',
} as const;

// The Flagstage knobs are the documented ones; Backstage's test utils read
// these variables (and would otherwise start Docker containers in CI).
process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING =
  testServiceUrls.postgres;
process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING =
  testServiceUrls.redis;

const DEFAULT_PORTS: Record<TestService, number> = {
  postgres: 5432,
  redis: 6379,
  rabbitmq: 5672,
};

/** True when running in CI, where a missing service is a failure, not a skip. @public */
export const isCI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

const reachability = new Map<TestService, boolean>();

/**
 * Whether the service accepts TCP connections. Checked synchronously (a short
 * child process) so that suites can decide to run or skip at definition time.
 *
 * @public
 */
export function isServiceReachable(service: TestService): boolean {
  const known = reachability.get(service);
  if (known !== undefined) return known;
  const url = new URL(testServiceUrls[service]);
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port) || DEFAULT_PORTS[service];
  const probe = `const s=require('net').connect(${port},${JSON.stringify(
    host,
  )});s.setTimeout(1500);s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1));`;
  const result = spawnSync(process.execPath, ['-e', probe], { timeout: 5000 });
  const ok = result.status === 0;
  reachability.set(service, ok);
  return ok;
}

/**
 * Returns `describe` when every service answers. Otherwise: in CI throws (a
 * missing service fails the run); elsewhere prints why and returns
 * `describe.skip`, so the suite is reported as skipped rather than passing.
 *
 * @public
 */
export function describeWithServices(services: TestService[]): jest.Describe {
  const missing = services.filter(s => !isServiceReachable(s));
  if (missing.length === 0) return describe;
  const message = `integration services not reachable: ${missing
    .map(s => `${s} (${redactUrl(testServiceUrls[s])})`)
    .join(', ')}`;
  if (isCI) {
    throw new Error(
      `${message}; CI=true requires them (start them as in the README)`,
    );
  }
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPING suite: ${message}. Start them as described in the README, or set FLAGSTAGE_TEST_*_URL.`,
  );
  return describe.skip;
}

/** A short random id for names of per-suite databases, prefixes and queues. @public */
export function uniqueTestId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
