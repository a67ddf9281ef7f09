import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { contestPermissions } from '@flagstage/plugin-contest-common';
import { connectDatabase } from './database/migrate';
import { createRouter } from './router';
import { ContestService } from './services/ContestService';
import { ScoreboardService } from './services/ScoreboardService';
import { SessionStore } from './services/sessions';
import { LoginThrottle } from './services/loginThrottle';
import { DeploymentClient } from './services/DeploymentClient';
import {
  ensureDemoContest,
  readDemoContestConfig,
} from './services/demoContest';

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
        const {
          config,
          logger,
          database,
          cache,
          scheduler,
          httpRouter,
          auth,
          catalog,
          lifecycle,
        } = deps;
        const db = await connectDatabase(database);
        const scoreboards = new ScoreboardService(db, cache, logger);
        const contests = new ContestService(db, logger, id =>
          scoreboards.requestRecompute(id),
        );
        const sessions = new SessionStore(db);
        const logins = new LoginThrottle(cache);
        deps.permissionsRegistry.addPermissions(contestPermissions);

        const loadWithPluginCredentials = async (ref: string) =>
          (await catalog.getEntityByRef(ref, {
            credentials: await auth.getOwnServiceCredentials(),
          })) ?? undefined;

        const interval =
          config.getOptionalNumber('contest.scoreboardIntervalSeconds') ?? 10;
        await scheduler.scheduleTask({
          id: 'contest-scoreboard-recompute',
          frequency: { seconds: interval },
          timeout: { seconds: 60 },
          scope: 'global',
          fn: () => scoreboards.recomputeActive(),
        });
        await scheduler.scheduleTask({
          id: 'contest-challenge-resync',
          frequency: {
            seconds:
              config.getOptionalNumber(
                'contest.challengeSyncIntervalSeconds',
              ) ?? 60,
          },
          timeout: { seconds: 120 },
          scope: 'global',
          fn: async () => {
            const result = await contests.resyncChallenges(
              loadWithPluginCredentials,
            );
            if (result.missing > 0)
              logger.warn(
                'Attached challenges missing or invalid in the catalog',
                result,
              );
          },
        });
        const demo = readDemoContestConfig(config);
        if (demo) {
          // Development only (app-config.yaml): a running contest with the demo challenges.
          await scheduler.scheduleTask({
            id: 'contest-demo-seed',
            frequency: { seconds: 15 },
            timeout: { seconds: 60 },
            initialDelay: { seconds: 5 },
            scope: 'global',
            fn: async () => {
              const result = await ensureDemoContest(
                contests,
                demo,
                loadWithPluginCredentials,
              );
              if (result.attached.length > 0)
                logger.info('Demo contest challenges attached', result);
            },
          });
        }
        lifecycle.addShutdownHook(() => scoreboards.stop());

        const baseUrl = config.getString('backend.baseUrl');
        httpRouter.use(
          createRouter({
            contests,
            scoreboards,
            sessions,
            logins,
            deployments: new DeploymentClient(deps.discovery, auth),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            userInfo: deps.userInfo,
            catalog,
            secureCookies: baseUrl.startsWith('https://'),
            cookiePath: '/api/contest/public',
          }),
        );
        httpRouter.addAuthPolicy({ path: '/public', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
