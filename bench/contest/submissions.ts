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
import { ContestService } from '../../plugins/contest-backend/src/services/ContestService';
import { ScoreboardService } from '../../plugins/contest-backend/src/services/ScoreboardService';
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

/**
 * The clients: each contestant submits in a loop over keep-alive connections,
 * cycling through the six challenges (4 static, 1 regex, 1 dynamic). About
 * one submission in 50 is the right flag; a tenth of the wrong ones on the
 * dynamic challenge have the shape of a dynamic flag (which makes the server
 * look for a team it belongs to: the shared-flag check).
 */
const LOAD_SCRIPT = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { port, cookies, flags, teamFlags, seconds, rate } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: cookies.length });
const call = (path, body, cookie) => new Promise((resolve, reject) => {
  const data = JSON.stringify(body);
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/contest/public' + path, agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), cookie } }, res => {
    let text = ''; res.on('data', c => (text += c)); res.on('end', () => resolve({ status: res.statusCode, body: text }));
  });
  req.on('error', reject); req.end(data);
});
const NAMES = ['static-0', 'static-1', 'static-2', 'static-3', 'regex', 'dynamic'];
const hex = () => Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
(async () => {
  const latencies = []; const statuses = new Map(); const pairs = new Set(); const errors = [];
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  // rate > 0: open loop, each contestant paced so that all together send \`rate\` a second.
  const gap = rate > 0 ? (cookies.length / rate) * 1000 : 0;
  await Promise.all(cookies.map(async (cookie, i) => {
    let n = 0;
    const team = Math.floor(i / 4);
    if (gap) await new Promise(r => setTimeout(r, Math.random() * gap));
    while (Date.now() < deadline) {
      const next = Date.now() + gap;
      n += 1;
      const c = n % NAMES.length;
      const name = NAMES[c];
      const right = (n + i) % 50 === 0;
      let flag;
      if (right) flag = c < 4 ? flags[c] : c === 4 ? 'FLAGSTAGE{re_' + String(i).padStart(4, '0') + '}' : teamFlags[team];
      else if (c === 5 && n % 10 === 5) flag = 'flagstage{' + hex() + '}';
      else flag = 'flagstage{guess_' + i + '_' + n + '}';
      const t0 = process.hrtime.bigint();
      const r = await call('/challenges/' + name + '/submit', { flag }, cookie);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
      if (r.status !== 200 && errors.length < 5) errors.push(r.status + ' ' + r.body.slice(0, 200));
      if (right && r.status === 200) pairs.add(team + '|' + name);
      if (gap) await new Promise(r => setTimeout(r, Math.max(0, Math.min(next, deadline) - Date.now())));
    }
  }));
  agent.destroy();
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  parentPort.postMessage({ latencies, statuses: [...statuses], pairs: [...pairs], errors, elapsed });
})();
`;

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
  const scoreboards = new ScoreboardService(knex, cache, quietLogger);
  const contests = new ContestService(knex, quietLogger, id =>
    scoreboards.requestRecompute(id),
  );
  const server = await startContestServer({
    knex,
    contests,
    scoreboards,
    cache,
  });
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

    const call = (
      method: string,
      path: string,
      body: object | undefined,
      cookie?: string,
    ) =>
      new Promise<{ status: number; cookie?: string; body: string }>(
        (resolve, reject) => {
          const data = body ? JSON.stringify(body) : undefined;
          const req = http.request(
            {
              host: '127.0.0.1',
              port,
              method,
              path: `/api/contest/public${path}`,
              agent,
              headers: {
                ...(data
                  ? {
                      'content-type': 'application/json',
                      'content-length': Buffer.byteLength(data),
                    }
                  : {}),
                ...(cookie ? { cookie } : {}),
              },
            },
            res => {
              let text = '';
              res.on('data', c => (text += c));
              res.on('end', () =>
                resolve({
                  status: res.statusCode!,
                  cookie:
                    (res.headers['set-cookie']?.[0] ?? '').split(';')[0] ||
                    undefined,
                  body: text,
                }),
              );
            },
          );
          req.on('error', reject);
          req.end(data);
        },
      );
    const expect = async (
      status: number,
      what: string,
      r: Promise<{ status: number; cookie?: string; body: string }>,
    ) => {
      const res = await r;
      if (res.status !== status)
        throw new Error(`${what}: HTTP ${res.status} ${res.body}`);
      return res;
    };

    console.log(
      `setting up ${CONTESTANTS} contestants in ${TEAMS} teams over HTTP (scrypt registrations)…`,
    );
    const setupStarted = Date.now();
    const cookies: string[] = new Array(CONTESTANTS);
    await Promise.all(
      Array.from({ length: CONTESTANTS }, async (_, i) => {
        const r = await expect(
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
      const r = await expect(
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
          : expect(
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
      teams.map(t => contests.runtimeFlagFor(contest.id, t.id, 'dynamic')),
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
