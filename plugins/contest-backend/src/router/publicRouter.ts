import Router from 'express-promise-router';
import express from 'express';
import { z } from 'zod';
import { parseBody } from './parseBody';
import { AuthenticationError, InputError } from '@backstage/errors';
import type { ContestService } from '../services/ContestService';
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
  secureCookies: boolean;
  cookiePath: string;
}) {
  const { contests, sessions, scoreboards } = options;
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
    const c = (await contests.listContests()).find(
      x => x.slug === req.params.slug,
    );
    if (!c) throw new InputError('No such contest');
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
    const me = await contests.authenticate(
      req.params.slug,
      input.username,
      input.password,
    );
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
    const input = parseBody(teamCreate, req.body);
    const team = await contests.createTeam(await contestantId(req), input);
    res.status(201).json({
      id: team.id,
      name: team.name,
      division: team.division,
      inviteCode: team.invite_code,
    });
  });

  router.post('/teams/join', async (req, res) => {
    const input = parseBody(teamJoin, req.body);
    const team = await contests.joinTeam(
      await contestantId(req),
      input.inviteCode,
    );
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
    const { flag } = parseBody(submit, req.body);
    const result = await contests.submit(
      await contestantId(req),
      req.params.name,
      flag,
    );
    res.json({
      correct: result.outcome !== 'incorrect',
      alreadySolved: result.outcome === 'already_solved',
    });
  });

  router.post('/challenges/:name/hints/:index/unlock', async (req, res) => {
    const index = Number(req.params.index);
    if (!Number.isInteger(index) || index < 0)
      throw new InputError('hint index must be a non-negative integer');
    res.json(
      await contests.unlockHint(
        await contestantId(req),
        req.params.name,
        index,
      ),
    );
  });

  router.get('/contests/:slug/scoreboard', async (req, res) => {
    const contest = await contests.contestRow(req.params.slug);
    const division =
      typeof req.query.division === 'string' ? req.query.division : undefined;
    res.json(await scoreboards.read(contest.id, { live: false, division }));
  });

  router.get('/contests/:slug/ctftime', async (req, res) => {
    const contest = await contests.contestRow(req.params.slug);
    res.json(await scoreboards.ctftime(contest.id));
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
