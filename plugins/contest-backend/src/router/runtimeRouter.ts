import Router from 'express-promise-router';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { RuntimeService } from '../services/RuntimeService/types';

/**
 * For the instance runtime (the deployment plugin and its workers): the
 * environment a team's instance of a challenge gets, `FLAG` for dynamic-flag
 * challenges. Backstage service principals only; never users or contestants.
 */
export function createRuntimeRouter(options: {
  runtime: RuntimeService;
  httpAuth: HttpAuthService;
}) {
  const { runtime, httpAuth } = options;
  const router = Router();

  router.get(
    '/contests/:slug/teams/:teamId/challenges/:name/env',
    async (req, res) => {
      await httpAuth.credentials(req, { allow: ['service'] });
      const { slug, teamId, name } = req.params;
      const env = await runtime.envBySlug(slug, teamId, name);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ env });
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
    const env = await runtime.envByRef(contestId, teamId, challengeRef);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ env });
  });

  return router;
}
