import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { connectAndMigrate } from '@flagstage/backend-node';
import { gatewayAdminPermissions } from '@flagstage/plugin-gateway-admin-common';
import { readGatewayAdminConfig } from './config';
import { createRouter } from './router';
import { GatewayAdminService } from './services/GatewayAdminService';
import { GatewayAdminStore } from './services/GatewayAdminStore';
import { GatewayRedis } from './services/GatewayRedis';

/** Id of the scheduled task that republishes the database state to Redis. */
export const RESYNC_TASK_ID = 'gateway-admin-redis-resync';

/**
 * Gateway admin: limits and revocations for the Challenge Gateway, stored in
 * the database and published through Redis; live connections and top
 * talkers from the gateways' reports.
 *
 * @public
 */
export const gatewayAdminPlugin = createBackendPlugin({
  pluginId: 'gateway-admin',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const { config, logger, scheduler, lifecycle } = deps;
        const settings = readGatewayAdminConfig(config);
        const store = new GatewayAdminStore(
          await connectAndMigrate({
            database: deps.database,
            packageName: '@flagstage/plugin-gateway-admin-backend',
          }),
        );
        deps.permissionsRegistry.addPermissions(gatewayAdminPermissions);

        let service: GatewayAdminService | undefined = undefined;
        const resync = async () => {
          try {
            await service?.resync();
          } catch (e) {
            logger.warn(
              `Republishing gateway state to Redis failed: ${
                (e as Error).message
              }`,
            );
          }
        };
        const redis = settings.redis
          ? new GatewayRedis({
              ...settings.redis,
              logger,
              // Redis (re)connected: it may have lost or missed state.
              onReady: () => void resync(),
            })
          : undefined;
        service = new GatewayAdminService(store, redis, logger);

        if (redis) {
          logger.info(
            `Publishing gateway limits and revocations to Redis under the key prefix '${
              settings.redis!.keyPrefix
            }'`,
          );
          await scheduler.scheduleTask({
            id: RESYNC_TASK_ID,
            frequency: { seconds: settings.resyncIntervalSeconds },
            timeout: { seconds: 60 },
            scope: 'global',
            fn: resync,
          });
          lifecycle.addShutdownHook(() => redis.close());
        } else {
          logger.warn(
            'gatewayAdmin.redis.url is not set: gateway limits and revocations are stored but not published to any gateway',
          );
        }

        deps.httpRouter.use(
          createRouter({
            service,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
