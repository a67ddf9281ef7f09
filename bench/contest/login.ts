/*
 * Login latency at the contest backend's password-hashing cost (scrypt
 * N=2^17, r=8, p=1): sequential logins, then 10 at a time, through the
 * contestant API on a loopback port, on a fresh PostgreSQL database that it
 * drops at the end. Each contestant logs in with the right password (the
 * throttle never counts a successful login). Bounded: ROUNDS logins per mode
 * and a hard stop.
 *
 *   yarn bench:login            (ROUNDS=20 by default; ROUNDS=5 for a smoke run)
 */
import http from 'node:http';
import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { createContestServices } from '@flagstage/plugin-contest-backend';
import {
  freshDatabase,
  machine,
  quietLogger,
  since,
  startContestServer,
  stats,
  table,
} from './common';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const CONCURRENCY = 10;
const PASSWORD = 'bench password, long enough';

function post(port: number, path: string, body: object, agent: http.Agent) {
  return new Promise<number>((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** The contest plugin's cache in memory (logins do not touch it). */
const memoryCache = () =>
  CacheManager.fromConfig(
    new ConfigReader({ backend: { cache: { store: 'memory' } } }),
  ).forPlugin('contest');

async function main() {
  const hardStop = setTimeout(() => {
    console.error('benchmark took too long; stopping');
    process.exit(3);
  }, 10 * 60 * 1000);
  hardStop.unref();
  const before = machine();
  const { knex, drop } = await freshDatabase(CONCURRENCY + 2);
  const services = createContestServices({
    db: knex,
    cache: memoryCache(),
    logger: quietLogger,
    // One loopback address makes every request: no per-address limit here.
    throttleLimits: { loginsPerAddress: 1e9, registrationsPerAddress: 1e9 },
  });
  const server = await startContestServer({ services });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const now = Date.now();
    await services.contests.createContest({
      slug: 'bench',
      name: 'Bench',
      startsAt: new Date(now - 3600_000).toISOString(),
      endsAt: new Date(now + 3600_000).toISOString(),
    });
    const users = Array.from({ length: CONCURRENCY }, (_, i) => `bench${i}`);
    for (const username of users)
      await services.teams.register('bench', { username, password: PASSWORD });
    const login = async (username: string) => {
      const t0 = process.hrtime.bigint();
      const status = await post(
        server.port,
        '/api/contest/public/contests/bench/login',
        { username, password: PASSWORD },
        agent,
      );
      if (status !== 200) throw new Error(`login answered ${status}`);
      return since(t0);
    };
    const sequential: number[] = [];
    for (let i = 0; i < ROUNDS; i++)
      sequential.push(await login(users[i % CONCURRENCY]));
    const concurrent: number[] = [];
    for (let i = 0; i < ROUNDS; i += CONCURRENCY)
      concurrent.push(...(await Promise.all(users.map(login))));
    const rows = [
      ['sequential', sequential],
      [`${CONCURRENCY} concurrent`, concurrent],
    ] as const;
    console.log(
      table(
        ['logins', 'n', 'p50 ms', 'p99 ms', 'max ms'],
        rows.map(([label, xs]) => {
          const s = stats(xs);
          return [label, s.n, s.p50, s.p99, s.max];
        }),
      ),
    );
    console.log(JSON.stringify({ before, after: machine() }));
  } finally {
    agent.destroy();
    await server.close();
    await drop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
