import Router from 'express-promise-router';
import express from 'express';
import { z } from 'zod';
import { parseBody } from './parseBody';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { LoginThrottle } from '../services/loginThrottle';
import type {
  ContestantInstance,
  DeploymentClient,
} from '../services/DeploymentClient';

const queryString = (v: unknown) =>
  typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined;
const queryPage = (v: unknown) => {
  const n = Number(v ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 100000)
    throw new InputError('page must be a positive integer');
  return n;
};

/** What a contestant sees of the team's instance: state, times, and how to reach it. */
function contestantView(i: ContestantInstance) {
  return {
    id: i.id,
    challenge: i.challenge,
    state: i.state,
    failureReason: i.failureReason ?? null,
    protocol: i.protocol,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    extendableFrom: i.extendableFrom ?? null,
    access: i.access ?? null,
  };
}
import { contestView, type ContestService } from '../services/ContestService';
import { SESSION_COOKIE, type SessionStore } from '../services/sessions';
import type { ScoreboardService } from '../services/ScoreboardService';
import { clearSessionCookie, readCookie, setSessionCookie } from './cookies';
import { toBool, toIso } from '../database/rows';
import { publicChallengeList } from './publicViews';

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
const teamCreate = z.object({
  name: z.string().trim().min(2).max(64),
  division: z.string().max(64).optional(),
});
const teamJoin = z.object({ inviteCode: z.string().min(8).max(64) });
const submit = z.object({ flag: z.string().min(1).max(1024) });

/**
 * The contestant API, mounted under /public and marked unauthenticated in
 * Backstage's auth policy: contestants are not Backstage users. Routes that
 * need a contestant read the server-side session from an HttpOnly cookie.
 */
export function createPublicRouter(options: {
  contests: ContestService;
  sessions: SessionStore;
  scoreboards: ScoreboardService;
  logins: LoginThrottle;
  deployments?: DeploymentClient;
  secureCookies: boolean;
  cookiePath: string;
}) {
  const { contests, sessions, scoreboards, logins, deployments } = options;
  const cookie = { secure: options.secureCookies, path: options.cookiePath };
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  async function contestantId(req: express.Request): Promise<string> {
    const id = await sessions.resolve(readCookie(req, SESSION_COOKIE));
    if (!id) throw new AuthenticationError('Sign in first');
    return id;
  }

  router.get('/contests', async (_req, res) => {
    const list = await contests.listContests();
    res.json({
      items: list.map(c => ({
        slug: c.slug,
        name: c.name,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
        freezeAt: c.freezeAt,
        divisions: c.divisions,
        teamSizeLimit: c.teamSizeLimit,
        registration: c.registration,
      })),
    });
  });

  router.get('/contests/:slug', async (req, res) => {
    const c = contestView(await contests.contestRow(req.params.slug));
    res.json({
      slug: c.slug,
      name: c.name,
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      freezeAt: c.freezeAt,
      divisions: c.divisions,
      teamSizeLimit: c.teamSizeLimit,
      registration: c.registration,
    });
  });

  router.post('/contests/:slug/register', async (req, res) => {
    const input = parseBody(credentials, req.body);
    const me = await contests.register(req.params.slug, input);
    setSessionCookie(res, await sessions.create(me.id), cookie);
    res.status(201).json({ id: me.id, username: me.username });
  });

  router.post('/contests/:slug/login', async (req, res) => {
    const input = parseBody(credentials, req.body);
    const contest = await contests.contestRow(req.params.slug);
    await logins.assertAllowed(contest.id, input.username);
    const me = await contests
      .authenticate(req.params.slug, input.username, input.password)
      .catch(async e => {
        if (e instanceof NotAllowedError)
          await logins.recordFailure(contest.id, input.username);
        throw e;
      });
    setSessionCookie(res, await sessions.create(me.id), cookie);
    res.json({ id: me.id, username: me.username });
  });

  router.post('/logout', async (req, res) => {
    await sessions.revoke(readCookie(req, SESSION_COOKIE));
    clearSessionCookie(res, cookie);
    res.status(204).end();
  });

  router.get('/me', async (req, res) => {
    const me = await contests.contestant(await contestantId(req));
    const contest = await contests.contestById(me.contest_id);
    const team = me.team_id ? await contests.team(me.team_id) : undefined;
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
    const team = await contests.createTeam(me, parseBody(teamCreate, req.body));
    res.status(201).json({
      id: team.id,
      name: team.name,
      division: team.division,
      inviteCode: team.invite_code,
    });
  });

  router.post('/teams/join', async (req, res) => {
    const me = await contestantId(req);
    const input = parseBody(teamJoin, req.body);
    const team = await contests.joinTeam(me, input.inviteCode);
    res.json({ id: team.id, name: team.name, division: team.division });
  });

  router.post('/teams/leave', async (req, res) => {
    await contests.leaveTeam(await contestantId(req));
    res.status(204).end();
  });

  router.get('/challenges', async (req, res) => {
    const me = await contests.contestant(await contestantId(req));
    res.json({ items: await publicChallengeList(contests, scoreboards, me) });
  });

  router.post('/challenges/:name/submit', async (req, res) => {
    const me = await contestantId(req);
    const { flag } = parseBody(submit, req.body);
    const result = await contests.submit(me, req.params.name, flag);
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
    res.json(await contests.unlockHint(me, req.params.name, index));
  });

  // ---- instances (through the deployment plugin) ---------------------------
  router.get('/challenges/:name/instance', async (req, res) => {
    const me = await contestantId(req);
    if (!deployments) throw new NotFoundError('Instances are not available');
    const ctx = await contests.instanceContext(me, req.params.name);
    const instance = await deployments.active(
      ctx.contestId,
      ctx.teamId,
      ctx.challengeRef,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json({ instance: instance ? contestantView(instance) : null });
  });

  router.post('/challenges/:name/instance', async (req, res) => {
    const me = await contestantId(req);
    if (!deployments) throw new NotFoundError('Instances are not available');
    const ctx = await contests.instanceContext(me, req.params.name);
    const instance = await deployments.start(
      ctx.contestId,
      ctx.teamId,
      ctx.challengeRef,
      ctx.contestantId,
    );
    res.status(202).json({ instance: contestantView(instance) });
  });

  router.delete('/challenges/:name/instance', async (req, res) => {
    const me = await contestantId(req);
    if (!deployments) throw new NotFoundError('Instances are not available');
    const ctx = await contests.instanceContext(me, req.params.name);
    const active = await deployments.active(
      ctx.contestId,
      ctx.teamId,
      ctx.challengeRef,
    );
    if (!active)
      throw new NotFoundError('Your team has no instance of this challenge');
    res.json({ instance: contestantView(await deployments.stop(active.id)) });
  });

  router.post('/challenges/:name/instance/extend', async (req, res) => {
    const me = await contestantId(req);
    if (!deployments) throw new NotFoundError('Instances are not available');
    const ctx = await contests.instanceContext(me, req.params.name);
    const active = await deployments.active(
      ctx.contestId,
      ctx.teamId,
      ctx.challengeRef,
    );
    if (!active)
      throw new NotFoundError('Your team has no instance of this challenge');
    res.json({ instance: contestantView(await deployments.extend(active.id)) });
  });

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
