import Router from 'express-promise-router';
import type {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ContestServices } from '../services';
import type { DeploymentClient } from '../services/DeploymentClient';
import { createAdminRouter } from './adminRouter';
import { createPublicRouter } from './publicRouter';
import { createRuntimeRouter } from './runtimeRouter';
import { contestErrorHandler } from './errors';

/**
 * /public for contestants (their own sessions), /admin for staff (Backstage
 * users + permissions), /runtime for backend services (instance FLAGs).
 */
export function createRouter(
  options: ContestServices & {
    deployments?: DeploymentClient;
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    userInfo: UserInfoService;
    catalog: CatalogService;
    secureCookies: boolean;
    cookiePath: string;
    allowedOrigins?: string[];
  },
) {
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
  router.use('/runtime', createRuntimeRouter(options));
  router.use(contestErrorHandler);
  return router;
}
