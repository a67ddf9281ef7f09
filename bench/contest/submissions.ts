/*
 * Submissions benchmark: 500 concurrent contestants (125 teams of 4) submit
 * flags through the real HTTP stack of the contest plugin (router, zod,
 * sessions, flag checks of every kind, rate-limit upserts, unique solves)
 * against PostgreSQL. Two phases: saturation (every contestant submits back
 * to back) and paced (an open loop at BENCH_RATE/s). Prints submissions/s,
 * latency percentiles and status codes, and checks the solves in the
 * database. Loopback only, bounded by BENCH_SECONDS per phase (default 20),
 * drops its database.
 *
 *   yarn bench:contest-submissions
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { createContestServices } from '@flagstage/plugin-contest-backend';
import {
  expectStatus,
  LOAD_SCRIPT,
  publicApiCaller,
} from './submissionClients';
import {
  freshDatabase,
  machine,
  percentile,
  quietLogger,
  round,
  startContestServer,
  table,
} from './common';

const CONTESTANTS = Math.max(
  4,
  Math.floor(Number(process.env.BENCH_CONTESTANTS ?? 500) / 4) * 4,
);
const TEAMS = CONTESTANTS / 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const POOL = Number(process.env.BENCH_POOL ?? 20);
const PACED_RATE = Number(process.env.BENCH_RATE ?? 300);
/** Per (team, challenge) and minute; high enough that the limit is counted but never refuses. */
const RATE_PER_MINUTE = Number(
  process.env.BENCH_SUBMISSIONS_PER_MINUTE ?? 100_000,
);
const sha = (s: string) =>
  `sha256:${createHash('sha256').update(s).digest('hex')}`;

const entity = (name: string, spec: object) =>
  ({
    apiVersion: 'flagstage.io/v1alpha1',
    kind: 'Challenge',
    metadata: { name, namespace: 'default', title: name },
    spec: {
      owner: 'group:default/ctf-authors',
      category: 'misc',
      type: 'static',
      difficulty: 'easy',
      scoring: {
        function: 'ctfd-linear',
        initial: 500,
        minimum: 100,
        decay: 5,
      },
      ...spec,
    },
  } as any);

async function main() {
  const hardStop = setTimeout(() => {
    console.error('benchmark took too long; stopping');
    process.exit(3);
  }, (2 * SECONDS + 300) * 1000);
  hardStop.unref();
  const before = machine();
  const { knex, drop, name } = await freshDatabase(POOL);
  const cache = CacheManager.fromConfig(
    new ConfigReader({ backend: { cache: { store: 'memory' } } }),
  ).forPlugin('contest');
  // Solves request a (debounced) scoreboard recompute, as in the backend.
  const services = createContestServices({
    db: knex,
    cache,
    logger: quietLogger,
    // Every simulated contestant registers from 127.0.0.1: the per-address
    // registration limit (a defence against sign-up floods) is lifted here,
    // as the benchmark measures submissions, not the throttle.
    throttleLimits: {
      loginsPerAddress: 50,
      registrationsPerAddress: CONTESTANTS,
    },
  });
  const { contests, scoreboards } = services;
  const server = await startContestServer({ services });
  const { port } = server;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONTESTANTS });

  try {
    const now = Date.now();
    const contest = await contests.createContest({
      slug: 'bench',
      name: 'Bench',
      startsAt: new Date(now - 3600_000).toISOString(),
      endsAt: new Date(now + 3600_000).toISOString(),
      teamSizeLimit: 4,
      submissionRatePerMinute: RATE_PER_MINUTE,
    });
    const flags = ['one', 'two', 'three', 'four'].map(
      n => `flagstage{bench_${n}}`,
    );
    for (const [i, f] of flags.entries())
      await contests.attachChallenge(
        'bench',
        entity(`static-${i}`, { flags: [{ kind: 'static', sha256: sha(f) }] }),
        { hidden: false },
      );
    await contests.attachChallenge(
      'bench',
      entity('regex', {
        flags: [
          {
            kind: 'regex',
            pattern: '^flagstage\\{re_[0-9]{4}\\}$',
            caseInsensitive: true,
          },
        ],
      }),
      { hidden: false },
    );
    await contests.attachChallenge(
      'bench',
      entity('dynamic', {
        type: 'instanced',
        scoring: { function: 'rctf', initial: 500, minimum: 100 },
        flags: [{ kind: 'dynamic', prefix: 'flagstage' }],
        runtime: {
          protocol: 'http',
          image: 'registry.invalid/bench:1',
          port: 8080,
        },
      }),
      { hidden: false },
    );

    const call = publicApiCaller(port, agent);
    console.log(
      `setting up ${CONTESTANTS} contestants in ${TEAMS} teams over HTTP (scrypt registrations)…`,
    );
    const setupStarted = Date.now();
    const cookies: string[] = new Array(CONTESTANTS);
    await Promise.all(
      Array.from({ length: CONTESTANTS }, async (_, i) => {
        const r = await expectStatus(
          201,
          'register',
          call('POST', '/contests/bench/register', {
            username: `player${i}`,
            password: `password-of-player-${i}`,
          }),
        );
        cookies[i] = r.cookie!;
      }),
    );
    const teams: { id: string; inviteCode: string }[] = [];
    for (let t = 0; t < TEAMS; t++) {
      const r = await expectStatus(
        201,
        'create team',
        call('POST', '/teams', { name: `Team ${t}` }, cookies[t * 4]),
      );
      teams.push(JSON.parse(r.body));
    }
    await Promise.all(
      cookies.map((c, i) =>
        i % 4 === 0
          ? undefined
          : expectStatus(
              200,
              'join team',
              call(
                'POST',
                '/teams/join',
                { inviteCode: teams[Math.floor(i / 4)].inviteCode },
                c,
              ),
            ),
      ),
    );
    // Each team's dynamic flag, as its instance would get it.
    const teamFlags = await Promise.all(
      teams.map(t =>
        services.runtime.runtimeFlagFor(contest.id, t.id, 'dynamic'),
      ),
    );
    console.log(
      `set-up took ${round(
        (Date.now() - setupStarted) / 1000,
        1,
      )} s; two phases of ${SECONDS} s…`,
    );

    // The load runs in a worker thread, so the clients do not steal the server's event loop.
    const runLoad = async (rate: number) => {
      const load: {
        latencies: number[];
        statuses: [number, number][];
        pairs: string[];
        errors: string[];
        /** Seconds from the first request to the last response. */
        elapsed: number;
      } = await new Promise((resolve, reject) => {
        const worker = new Worker(LOAD_SCRIPT, {
          eval: true,
          workerData: {
            port,
            cookies,
            flags,
            teamFlags,
            seconds: SECONDS,
            rate,
          },
        });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const seconds = load.elapsed;
      const latencies = load.latencies.sort((a, b) => a - b);
      return {
        seconds,
        latencies,
        statuses: new Map<number, number>(load.statuses),
        pairs: load.pairs,
        errors: load.errors,
      };
    };
    const phases = [
      {
        name: `saturation: ${CONTESTANTS} clients back to back`,
        ...(await runLoad(0)),
      },
      { name: `paced: asked ${PACED_RATE}/s`, ...(await runLoad(PACED_RATE)) },
    ];
    const expectedPairs = new Set(phases.flatMap(p => p.pairs));
    const statuses = new Map<number, number>();
    for (const p of phases)
      for (const [k, v] of p.statuses)
        statuses.set(k, (statuses.get(k) ?? 0) + v);
    const [{ n: solves }] = await knex('solves').count({ n: '*' });
    const [{ n: stored }] = await knex('submissions').count({ n: '*' });
    const [{ n: incidents }] = await knex('flag_incidents').count({ n: '*' });
    const byOutcome = Object.fromEntries(
      (
        await knex('submissions')
          .select('outcome')
          .count({ n: '*' })
          .groupBy('outcome')
      ).map((r: any) => [r.outcome, Number(r.n)]),
    );
    const solvesByChallenge = Object.fromEntries(
      (
        await knex('solves')
          .join(
            'contest_challenges',
            'contest_challenges.id',
            'solves.challenge_id',
          )
          .select('contest_challenges.name')
          .count({ n: '*' })
          .groupBy('contest_challenges.name')
          .orderBy('contest_challenges.name')
      ).map((r: any) => [r.name, Number(r.n)]),
    );
    const synchronousCommit = (await knex.raw('SHOW synchronous_commit'))
      .rows[0].synchronous_commit;
    const summary = phases.map(p => ({
      phase: p.name,
      seconds: round(p.seconds, 1),
      submissions: p.latencies.length,
      perSecond: round(p.latencies.length / p.seconds, 0),
      p50ms: round(percentile(p.latencies, 50)),
      p90ms: round(percentile(p.latencies, 90)),
      p99ms: round(percentile(p.latencies, 99)),
      maxMs: round(p.latencies[p.latencies.length - 1]),
      statuses: Object.fromEntries(p.statuses),
    }));
    const after = machine();
    const result = {
      bench: 'contest-submissions',
      at: new Date().toISOString(),
      machine: { ...before, loadavg1mAfter: after.loadavg1m },
      contestants: CONTESTANTS,
      teams: TEAMS,
      challenges: { static: 4, regex: 1, dynamic: 1 },
      pgPool: POOL,
      pgSynchronousCommit: synchronousCommit,
      submissionRatePerMinute: RATE_PER_MINUTE,
      phases: summary,
      storedSubmissions: Number(stored),
      outcomes: byOutcome,
      solves: Number(solves),
      solvesByChallenge,
      expectedSolves: expectedPairs.size,
      flagIncidents: Number(incidents),
    };
    const mismatch =
      Number(solves) !== expectedPairs.size ||
      Number(stored) !== (statuses.get(200) ?? 0);
    console.log(
      `\nContest submissions — ${result.at}; ${before.cpus} CPUs (${before.cpuModel}), load average ${before.loadavg1m} before / ${after.loadavg1m} after, Node ${before.node}\ndatabase ${name}, PG pool ${POOL} (synchronous_commit ${synchronousCommit}), ${CONTESTANTS} contestants in ${TEAMS} teams, 6 challenges (4 static, regex, dynamic), limit ${RATE_PER_MINUTE}/min per team and challenge\n`,
    );
    console.log(
      table(
        [
          'phase',
          'seconds',
          'submissions',
          'per s',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'max ms',
          'statuses',
        ],
        summary.map(p => [
          p.phase,
          p.seconds,
          p.submissions,
          p.perSecond,
          p.p50ms,
          p.p90ms,
          p.p99ms,
          p.maxMs,
          JSON.stringify(p.statuses),
        ]),
      ),
    );
    console.log(
      `\nstored submissions ${stored} ${JSON.stringify(
        byOutcome,
      )}; solves in the database ${solves}, distinct correct (team, challenge) pairs seen by the clients ${
        expectedPairs.size
      } ${JSON.stringify(solvesByChallenge)}`,
    );
    for (const p of phases)
      for (const e of p.errors) console.log(`  error response: ${e}`);
    console.log(
      '(clients run in a worker thread of the same process; PostgreSQL, server and clients share the machine)',
    );
    if (mismatch)
      console.log(
        '\n!!!!!!!! MISMATCH between the database and what the clients saw (solves or stored submissions) !!!!!!!!\n',
      );
    console.log(JSON.stringify(result));
    if (mismatch) process.exitCode = 2;
  } finally {
    agent.destroy();
    scoreboards.stop();
    await server.close();
    await drop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
