import Router from 'express-promise-router';
import express from 'express';
import { z } from 'zod';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { RELATION_OWNED_BY, type Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  contestAnnouncePermission,
  contestChallengeStatsReadPermission,
  contestCreatePermission,
  contestDeletePermission,
  contestIncidentsReadPermission,
  contestReadPermission,
  contestSubmissionsReadPermission,
  contestTeamBanPermission,
  contestUpdatePermission,
} from '@flagstage/plugin-contest-common';
import { parseInput, toBool, toIso } from '@flagstage/backend-node';
import type {
  ContestAdminService,
  EntityLoader,
} from '../services/ContestAdminService/types';
import type { ScoreboardService } from '../services/ScoreboardService/types';

const isoTime = z
  .string()
  .refine(s => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time');
const contestFields = {
  name: z.string().trim().min(1).max(200),
  startsAt: isoTime,
  endsAt: isoTime,
  freezeAt: isoTime.nullable().optional(),
  divisions: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
  teamSizeLimit: z.number().int().min(1).max(100).optional(),
  registration: z.enum(['open', 'closed', 'invite']).optional(),
  registrationCode: z.string().min(8).max(200).nullable().optional(),
  submissionRatePerMinute: z.number().int().min(1).max(600).optional(),
  maxAttempts: z.number().int().min(1).max(100000).nullable().optional(),
  scoringDefaults: z
    .object({
      value: z.number().int().min(0).max(100000).optional(),
      initial: z.number().int().min(0).max(100000).optional(),
      minimum: z.number().int().min(0).max(100000).optional(),
      decay: z.number().positive().max(1000000).optional(),
    })
    .strict()
    .optional(),
};
const contestCreate = z.object({
  slug: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{1,62}$/,
      'slug: lower-case letters, digits and -',
    ),
  ...contestFields,
});
const contestUpdate = z.object(contestFields).partial();
const attach = z.object({
  entityRef: z.string().min(3).max(300),
  hidden: z.boolean().optional(),
  releaseAt: isoTime.nullable().optional(),
});
const visibility = z.object({
  hidden: z.boolean().optional(),
  releaseAt: isoTime.nullable().optional(),
});
const ban = z.object({
  banned: z.boolean(),
  reason: z.string().max(500).optional(),
});
const announcement = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().min(1).max(10000),
});

/**
 * Staff API under /admin: Backstage users only, each route behind a
 * permission registered by this plugin (see the Flagstage policy for roles).
 */
export function createAdminRouter(options: {
  contests: ContestAdminService;
  scoreboards: ScoreboardService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  loadEntity: (req: express.Request, ref: string) => ReturnType<EntityLoader>;
}) {
  const { contests, scoreboards, httpAuth, permissions } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  async function isAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  async function authorize(req: express.Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    if (!(await isAllowed(credentials, permission))) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  }

  /** Does the signed-in user (or one of their groups) own the entity? */
  async function owns(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    entity: Entity,
  ) {
    const { ownershipEntityRefs } = await options.userInfo.getUserInfo(
      credentials,
    );
    const mine = new Set(
      ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
    );
    return (entity.relations ?? []).some(
      r =>
        r.type === RELATION_OWNED_BY &&
        mine.has(r.targetRef.toLocaleLowerCase('en-US')),
    );
  }

  router.get('/contests', async (req, res) => {
    await authorize(req, contestReadPermission);
    res.json({ items: await contests.listContests() });
  });

  router.post('/contests', async (req, res) => {
    await authorize(req, contestCreatePermission);
    res
      .status(201)
      .json(await contests.createContest(parseInput(contestCreate, req.body)));
  });

  router.get('/contests/:slug', async (req, res) => {
    await authorize(req, contestReadPermission);
    const { contest, challenges } = await contests.contestDetail(
      req.params.slug,
    );
    const values = await scoreboards.challengeValues(contest.id);
    res.json({
      contest,
      challenges: challenges.map(({ id, ...c }) => ({
        ...c,
        value: values.get(id)?.value ?? 0,
        solves: values.get(id)?.solves ?? 0,
      })),
    });
  });

  router.patch('/contests/:slug', async (req, res) => {
    await authorize(req, contestUpdatePermission);
    res.json(
      await contests.updateContest(
        req.params.slug,
        parseInput(contestUpdate, req.body),
      ),
    );
  });

  router.delete('/contests/:slug', async (req, res) => {
    await authorize(req, contestDeletePermission);
    await contests.deleteContest(req.params.slug);
    res.status(204).end();
  });

  router.post('/contests/:slug/challenges', async (req, res) => {
    await authorize(req, contestUpdatePermission);
    const input = parseInput(attach, req.body);
    const entity = await options.loadEntity(req, input.entityRef);
    if (!entity)
      throw new NotFoundError(`No catalog entity ${input.entityRef}`);
    const row = await contests.attachChallenge(req.params.slug, entity, input);
    scoreboards.requestRecompute(row.contest_id);
    res.status(201).json({
      name: row.name,
      entityRef: row.entity_ref,
      hidden: toBool(row.hidden),
      releaseAt: toIso(row.release_at),
    });
  });

  router.patch('/contests/:slug/challenges/:name', async (req, res) => {
    await authorize(req, contestUpdatePermission);
    const input = parseInput(visibility, req.body);
    const contest = await contests.contestRow(req.params.slug);
    const existing = await contests.challengeByName(
      contest.id,
      req.params.name,
    );
    const entity = await options.loadEntity(req, existing.entity_ref);
    if (!entity)
      throw new NotFoundError(
        `${existing.entity_ref} is no longer in the catalog`,
      );
    const row = await contests.attachChallenge(req.params.slug, entity, input);
    scoreboards.requestRecompute(row.contest_id);
    res.json({
      name: row.name,
      hidden: toBool(row.hidden),
      releaseAt: toIso(row.release_at),
    });
  });

  router.delete('/contests/:slug/challenges/:name', async (req, res) => {
    await authorize(req, contestUpdatePermission);
    await contests.detachChallenge(req.params.slug, req.params.name);
    const contest = await contests.contestRow(req.params.slug);
    scoreboards.requestRecompute(contest.id);
    res.status(204).end();
  });

  router.get('/contests/:slug/teams', async (req, res) => {
    await authorize(req, contestReadPermission);
    const contest = await contests.contestRow(req.params.slug);
    const q =
      typeof req.query.q === 'string' ? req.query.q.slice(0, 64) : undefined;
    const teams = await contests.listTeams(contest.id, q);
    res.json({
      items: teams.map(t => ({
        id: t.id,
        name: t.name,
        division: t.division,
        members: t.member_count,
        banned: toBool(t.banned),
        banReason: t.ban_reason,
      })),
    });
  });

  router.post('/contests/:slug/teams/:teamId/ban', async (req, res) => {
    await authorize(req, contestTeamBanPermission);
    const input = parseInput(ban, req.body);
    const contest = await contests.contestRow(req.params.slug);
    const team = await contests.setBanned(
      contest.id,
      req.params.teamId,
      input.banned,
      input.reason,
    );
    scoreboards.requestRecompute(contest.id);
    res.json({
      id: team.id,
      name: team.name,
      banned: toBool(team.banned),
      banReason: team.ban_reason,
    });
  });

  router.get('/contests/:slug/submissions', async (req, res) => {
    await authorize(req, contestSubmissionsReadPermission);
    const contest = await contests.contestRow(req.params.slug);
    const after = Number(req.query.after ?? 0) || 0;
    res.json({ items: await contests.submissionsFeed(contest.id, after) });
  });

  router.get('/contests/:slug/incidents', async (req, res) => {
    await authorize(req, contestIncidentsReadPermission);
    const contest = await contests.contestRow(req.params.slug);
    res.json({ items: await contests.incidents(contest.id) });
  });

  router.get('/contests/:slug/scoreboard', async (req, res) => {
    await authorize(req, contestReadPermission);
    const contest = await contests.contestRow(req.params.slug);
    const page = Number(req.query.page ?? 1);
    if (!Number.isInteger(page) || page < 1)
      throw new InputError('page must be a positive integer');
    const text = await scoreboards.readText(contest.id, {
      live: req.query.view !== 'public',
      division:
        typeof req.query.division === 'string' && req.query.division
          ? req.query.division
          : undefined,
      page,
    });
    if (!text) throw new NotFoundError('No such scoreboard page or division');
    res.type('application/json').send(text);
  });

  router.post('/contests/:slug/announcements', async (req, res) => {
    await authorize(req, contestAnnouncePermission);
    const input = parseInput(announcement, req.body);
    const contest = await contests.contestRow(req.params.slug);
    res
      .status(201)
      .json(await contests.announce(contest.id, input.title, input.body));
  });

  // Operators and admins read every challenge's stats; authors those of the
  // challenges they (or their groups) own.
  router.get('/challenge-stats', async (req, res) => {
    const credentials = await authorize(
      req,
      contestChallengeStatsReadPermission,
    );
    const ref =
      typeof req.query.entityRef === 'string' ? req.query.entityRef : '';
    if (!ref) throw new InputError('entityRef is required');
    if (!(await isAllowed(credentials, contestReadPermission))) {
      const entity = await options.loadEntity(req, ref);
      if (!entity) throw new NotFoundError(`No catalog entity ${ref}`);
      if (!(await owns(credentials, entity))) {
        throw new NotAllowedError(
          'Authors read the stats of their own challenges only',
        );
      }
    }
    res.json({
      items: await contests.challengeStats(ref.toLocaleLowerCase('en-US')),
    });
  });

  return router;
}
