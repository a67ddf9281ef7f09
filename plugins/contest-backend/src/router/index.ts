import Router from 'express-promise-router';
import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ContestService } from '../services/ContestService';
import type { ScoreboardService } from '../services/ScoreboardService';
import type { SessionStore } from '../services/sessions';
import { createAdminRouter } from './adminRouter';
import { createPublicRouter } from './publicRouter';
import { contestErrorHandler } from './errors';

/** /public for contestants (own sessions), /admin for staff (Backstage auth + permissions). */
export function createRouter(options: {
  contests: ContestService;
  scoreboards: ScoreboardService;
  sessions: SessionStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  secureCookies: boolean;
  cookiePath: string;
}) {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.use('/public', createPublicRouter(options));
  router.use(
    '/admin',
    createAdminRouter({
      ...options,
      loadEntity: async (req, ref) =>
        (await options.catalog.getEntityByRef(ref, {
          credentials: await options.httpAuth.credentials(req),
        })) ?? undefined,
    }),
  );
  router.use(contestErrorHandler);
  return router;
}
