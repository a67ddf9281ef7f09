import Router from 'express-promise-router';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { ContestService } from '../services/ContestService';

/**
 * For the instance runtime (the deployment plugin and its workers): the
 * environment a team's instance of a challenge gets, `FLAG` for dynamic-flag
 * challenges. Backstage service principals only; never users or contestants.
 */
export function createRuntimeRouter(options: {
  contests: ContestService;
  httpAuth: HttpAuthService;
}) {
  const { contests, httpAuth } = options;
  const router = Router();

  router.get(
    '/contests/:slug/teams/:teamId/challenges/:name/env',
    async (req, res) => {
      await httpAuth.credentials(req, { allow: ['service'] });
      const contest = await contests.contestRow(req.params.slug);
      const team = await contests.team(req.params.teamId);
      if (team.contest_id !== contest.id)
        throw new NotFoundError('No such team in this contest');
      const flag = await contests.runtimeFlagFor(
        contest.id,
        team.id,
        req.params.name,
      );
      res.setHeader('Cache-Control', 'no-store');
      res.json({ env: flag ? { FLAG: flag } : {} });
    },
  );

  // The same, addressed by ids (what the deployment worker holds).
  router.get('/env', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const { contestId, teamId, challengeRef } = req.query;
    if (
      typeof contestId !== 'string' ||
      typeof teamId !== 'string' ||
      typeof challengeRef !== 'string'
    )
      throw new InputError('contestId, teamId and challengeRef are required');
    const team = await contests.team(teamId);
    if (team.contest_id !== contestId)
      throw new NotFoundError('No such team in this contest');
    const challenge = await contests.challengeByRef(contestId, challengeRef);
    const flag = await contests.runtimeFlagFor(
      contestId,
      team.id,
      challenge.name,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json({ env: flag ? { FLAG: flag } : {} });
  });

  return router;
}
