import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { connectAndMigrate } from '@flagstage/backend-node';
import { contestPermissions } from '@flagstage/plugin-contest-common';
import { contestantOptions } from './config';
import { createRouter } from './router';
import { createContestServices } from './services';
import { DeploymentClient } from './services/DeploymentClient';
import { contestTasks } from './tasks';

/**
 * The contest plugin: contests, contestants and teams, flags, submissions,
 * scoring and scoreboards.
 *
 * @public
 */
export const contestPlugin = createBackendPlugin({
  pluginId: 'contest',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        cache: coreServices.cache,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        userInfo: coreServices.userInfo,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const { config, logger, auth, catalog, httpRouter } = deps;
        const db = await connectAndMigrate({
          database: deps.database,
          packageName: '@flagstage/plugin-contest-backend',
        });
        const options = contestantOptions(config);
        const services = createContestServices({
          db,
          cache: deps.cache,
          logger,
          teamRules: options.teamRules,
          throttleLimits: options.throttleLimits,
        });
        deps.permissionsRegistry.addPermissions(contestPermissions);

        const load = async (ref: string) =>
          (await catalog.getEntityByRef(ref, {
            credentials: await auth.getOwnServiceCredentials(),
          })) ?? undefined;
        for (const task of contestTasks({ config, logger, services, load }))
          await deps.scheduler.scheduleTask(task);
        deps.lifecycle.addShutdownHook(() => services.scoreboards.stop());

        httpRouter.use(
          createRouter({
            ...services,
            deployments: new DeploymentClient(deps.discovery, auth),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            userInfo: deps.userInfo,
            catalog,
            secureCookies: config
              .getString('backend.baseUrl')
              .startsWith('https://'),
            cookiePath: '/api/contest/public',
            allowedOrigins: options.allowedOrigins,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/public', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
