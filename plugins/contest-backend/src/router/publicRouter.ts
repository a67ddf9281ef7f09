import Router from 'express-promise-router';
import express from 'express';
import { z } from 'zod';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { parseInput, toBool, toIso } from '@flagstage/backend-node';
import type { SessionStore } from '../database/SessionStore';
import type { ContestReader } from '../services/ContestAdminService/types';
import type { DeploymentClient } from '../services/DeploymentClient';
import type { HintService } from '../services/HintService/types';
import type { LoginThrottle } from '../services/LoginThrottle';
import type { RuntimeService } from '../services/RuntimeService/types';
import type { ScoreboardService } from '../services/ScoreboardService/types';
import type { SubmissionService } from '../services/SubmissionService/types';
import type { TeamService } from '../services/TeamService/types';
import {
  clearSessionCookie,
  readSessionCookie,
  setSessionCookie,
} from './cookies';
import { stateChangeGuard } from './requestGuard';
import {
  contestantInstanceView,
  publicChallengeList,
  publicContestView,
} from './publicViews';

const queryString = (v: unknown) =>
  typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined;
const queryPage = (v: unknown) => {
  const n = Number(v ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 100000)
    throw new InputError('page must be a positive integer');
  return n;
};

const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, 'username: 3–32 letters, digits, _ . -');
const password = z
  .string()
  .min(10, 'password: at least 10 characters')
  .max(200);
const credentials = z.object({
  username,
  password,
  registrationCode: z.string().max(200).optional(),
});
// Normalised and checked (NFKC, no control or invisible characters, length) by the team service.
const teamCreate = z.object({
  name: z.string().max(256),
  division: z.string().max(64).optional(),
});
const teamJoin = z.object({ inviteCode: z.string().min(8).max(64) });
const submit = z.object({ flag: z.string().min(1).max(1024) });

/** What the contestant API depends on: service interfaces only. */
export type PublicRouterOptions = {
  contests: ContestReader;
  teams: TeamService;
  submissions: SubmissionService;
  hints: HintService;
  runtime: RuntimeService;
  scoreboards: ScoreboardService;
  sessions: Pick<SessionStore, 'create' | 'resolve' | 'revoke'>;
  logins: Pick<LoginThrottle, 'begin' | 'registration'>;
  deployments?: DeploymentClient;
  secureCookies: boolean;
  cookiePath: string;
  /** Origins allowed to send state-changing requests besides the request's own (see stateChangeGuard). Default: none. */
  allowedOrigins?: string[];
};

/** The client's address: `req.ip`, which honours Express `trust proxy` (`backend.trustProxy`). */
const clientAddress = (req: express.Request) =>
  req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * The contestant API, mounted under /public and marked unauthenticated in
 * Backstage's auth policy: contestants are not Backstage users. Routes that
 * need a contestant read the server-side session from an HttpOnly cookie.
 */
export function createPublicRouter(options: PublicRouterOptions) {
  const { contests, teams, sessions, scoreboards, logins } = options;
  const cookie = { secure: options.secureCookies, path: options.cookiePath };
  const router = Router();
  router.use(stateChangeGuard(options.allowedOrigins ?? []));
  router.use(express.json({ limit: '16kb' }));

  async function contestantId(req: express.Request): Promise<string> {
    const id = await sessions.resolve(readSessionCookie(req));
    if (!id) throw new AuthenticationError('Sign in first');
    return id;
  }

  router.get('/contests', async (_req, res) => {
    const list = await contests.listContests();
    res.json({ items: list.map(publicContestView) });
  });

  router.get('/contests/:slug', async (req, res) => {
    res.json(publicContestView(await contests.contest(req.params.slug)));
  });

  router.post('/contests/:slug/register', async (req, res) => {
    const input = parseInput(credentials, req.body);
    await logins.registration(clientAddress(req));
    const me = await teams.register(req.params.slug, input);
    setSessionCookie(res, await sessions.create(me.id), cookie);
    res.status(201).json({ id: me.id, username: me.username });
  });

  router.post('/contests/:slug/login', async (req, res) => {
    const input = parseInput(credentials, req.body);
    const contest = await contests.contestRow(req.params.slug);
    // Counted before the password check, so parallel guesses cannot outrun the limit.
    const attempt = await logins.begin(
      contest.id,
      input.username,
      clientAddress(req),
    );
    const me = await teams.authenticate(
      req.params.slug,
      input.username,
      input.password,
    );
    await attempt.succeeded();
    setSessionCookie(res, await sessions.create(me.id), cookie);
    res.json({ id: me.id, username: me.username });
  });

  router.post('/logout', async (req, res) => {
    await sessions.revoke(readSessionCookie(req));
    clearSessionCookie(res, cookie);
    res.status(204).end();
  });

  router.get('/me', async (req, res) => {
    const me = await teams.contestant(await contestantId(req));
    const contest = await contests.contestById(me.contest_id);
    const team = me.team_id ? await teams.team(me.team_id) : undefined;
    res.json({
      id: me.id,
      username: me.username,
      contest: contest.slug,
      team: team
        ? {
            id: team.id,
            name: team.name,
            division: team.division,
            inviteCode: team.invite_code,
            members: team.member_count,
            banned: toBool(team.banned),
          }
        : null,
    });
  });

  router.post('/teams', async (req, res) => {
    const me = await contestantId(req);
    const team = await teams.createTeam(me, parseInput(teamCreate, req.body));
    res.status(201).json({
      id: team.id,
      name: team.name,
      division: team.division,
      inviteCode: team.invite_code,
    });
  });

  router.post('/teams/join', async (req, res) => {
    const me = await contestantId(req);
    const input = parseInput(teamJoin, req.body);
    const team = await teams.joinTeam(me, input.inviteCode);
    res.json({ id: team.id, name: team.name, division: team.division });
  });

  router.post('/teams/leave', async (req, res) => {
    await teams.leaveTeam(await contestantId(req));
    res.status(204).end();
  });

  router.get('/challenges', async (req, res) => {
    const me = await teams.contestant(await contestantId(req));
    res.json({ items: await publicChallengeList(options, me) });
  });

  router.post('/challenges/:name/submit', async (req, res) => {
    const me = await contestantId(req);
    const { flag } = parseInput(submit, req.body);
    const result = await options.submissions.submit(me, req.params.name, flag);
    res.json({
      correct: result.outcome !== 'incorrect',
      alreadySolved: result.outcome === 'already_solved',
    });
  });

  router.post('/challenges/:name/hints/:index/unlock', async (req, res) => {
    const me = await contestantId(req);
    const index = Number(req.params.index);
    if (!Number.isInteger(index) || index < 0)
      throw new InputError('hint index must be a non-negative integer');
    res.json(await options.hints.unlockHint(me, req.params.name, index));
  });

  addInstanceRoutes(router, options, contestantId);

  // A page of the public scoreboard: cache lookups, sent as stored.
  router.get('/contests/:slug/scoreboard', async (req, res) => {
    const contest = await contests.contestRow(req.params.slug);
    const text = await scoreboards.readText(contest.id, {
      live: false,
      division: queryString(req.query.division),
      page: queryPage(req.query.page),
    });
    if (!text) throw new NotFoundError('No such scoreboard page or division');
    res.type('application/json').send(text);
  });

  router.get('/contests/:slug/ctftime', async (req, res) => {
    const contest = await contests.contestRow(req.params.slug);
    res
      .type('application/json')
      .send(await scoreboards.ctftimeText(contest.id));
  });

  router.get('/contests/:slug/announcements', async (req, res) => {
    const contest = await contests.contestRow(req.params.slug);
    res.json({ items: await contests.announcements(contest.id) });
  });

  router.get('/time', (_req, res) => {
    res.json({ now: toIso(new Date()) });
  });

  return router;
}

/** The team's instance of a challenge, through the deployment plugin. */
function addInstanceRoutes(
  router: ReturnType<typeof Router>,
  options: PublicRouterOptions,
  contestantId: (req: express.Request) => Promise<string>,
) {
  /** The checks every instance route makes: a contestant allowed to run this challenge now. */
  async function instanceAccess(req: express.Request) {
    const me = await contestantId(req);
    const { deployments } = options;
    if (!deployments) throw new NotFoundError('Instances are not available');
    const ctx = await options.runtime.instanceContext(me, req.params.name);
    const active = () =>
      deployments.active(ctx.contestId, ctx.teamId, ctx.challengeRef);
    return { deployments, ctx, active };
  }

  /** The team's running instance; 404 when it has none. */
  async function activeInstance(req: express.Request) {
    const { deployments, active } = await instanceAccess(req);
    const instance = await active();
    if (!instance)
      throw new NotFoundError('Your team has no instance of this challenge');
    return { deployments, instance };
  }

  router.get('/challenges/:name/instance', async (req, res) => {
    const instance = await (await instanceAccess(req)).active();
    res.setHeader('Cache-Control', 'no-store');
    res.json({ instance: instance ? contestantInstanceView(instance) : null });
  });

  router.post('/challenges/:name/instance', async (req, res) => {
    const { deployments, ctx } = await instanceAccess(req);
    const instance = await deployments.start(
      ctx.contestId,
      ctx.teamId,
      ctx.challengeRef,
      ctx.contestantId,
    );
    res.status(202).json({ instance: contestantInstanceView(instance) });
  });

  router.delete('/challenges/:name/instance', async (req, res) => {
    const { deployments, instance } = await activeInstance(req);
    const stopped = await deployments.stop(instance.id);
    res.json({ instance: contestantInstanceView(stopped) });
  });

  router.post('/challenges/:name/instance/extend', async (req, res) => {
    const { deployments, instance } = await activeInstance(req);
    const extended = await deployments.extend(instance.id);
    res.json({ instance: contestantInstanceView(extended) });
  });
}
