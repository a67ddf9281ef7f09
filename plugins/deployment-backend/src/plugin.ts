import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { connectAndMigrate } from '@flagstage/backend-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  INSTANCE_STATES,
  buildCreatePermission,
  buildReadPermission,
  instancePermissions,
} from '@flagstage/plugin-deployment-common';
import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import { jobQueueServiceRef } from '@flagstage/plugin-deployment-node';
import { gatewayInstanceRevocationsServiceRef } from '@flagstage/plugin-gateway-node';
import { readDeploymentConfig } from './config';
import { BuildStore } from './database/BuildStore';
import { InstanceStore } from './database/InstanceStore';
import { BuildService } from './services/BuildService';
import { createBuildsRouter } from './router/builds';
import { InstanceService } from './services/InstanceService';
import { createRouter } from './router';
import { Callers } from './router/callers';

/**
 * The deployment plugin: the instance API, the instance state (source of
 * truth), the publisher of deploy and stop jobs, and the expiry sweeper.
 *
 * @public
 */
export const deploymentPlugin = createBackendPlugin({
  pluginId: 'deployment',
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
        lifecycle: coreServices.lifecycle,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        queue: jobQueueServiceRef,
        gateways: gatewayInstanceRevocationsServiceRef,
      },
      async init(deps) {
        const settings = readDeploymentConfig(deps.config);
        const db = await connectAndMigrate({
          database: deps.database,
          packageName: '@flagstage/plugin-deployment-backend',
        });
        const store = new InstanceStore(db);
        // One queue per backend process (a root service): in the embedded
        // default the worker in the same process consumes what this publishes.
        const queue = deps.queue;
        const instances = new InstanceService(
          store,
          queue,
          deps.cache,
          settings,
          deps.logger,
          async ref =>
            (await deps.catalog.getEntityByRef(ref, {
              credentials: await deps.auth.getOwnServiceCredentials(),
            })) ?? undefined,
          deps.gateways,
        );
        deps.permissionsRegistry.addPermissions([
          ...instancePermissions,
          buildCreatePermission,
          buildReadPermission,
        ]);
        const callbackBase = deps.config.getOptionalString(
          'deployment.builds.callbackBaseUrl',
        );
        const builds = new BuildService(
          new BuildStore(db),
          queue,
          async ref =>
            (await deps.catalog.getEntityByRef(ref, {
              credentials: await deps.auth.getOwnServiceCredentials(),
            })) ?? undefined,
          async () =>
            callbackBase?.replace(/\/$/, '') ??
            (await deps.discovery.getExternalBaseUrl('deployment')),
          deps.logger,
        );
        await deps.scheduler.scheduleTask({
          id: 'deployment-expiry-sweeper',
          frequency: { seconds: 15 },
          timeout: { seconds: 60 },
          scope: 'global',
          fn: async () => {
            await instances.sweepExpired();
          },
        });
        // Gauges from the database and the queue, refreshed every 5 s (the
        // counts are deployment-wide: aggregate replicas with max()).
        const instancesByState = flagstageMetrics.instances();
        const queueDepth = flagstageMetrics.queueDepth();
        const deadLetters = flagstageMetrics.queueDeadLetters();
        const refreshGauges = async () => {
          const counts = await store.countByState();
          for (const state of INSTANCE_STATES)
            instancesByState.set({ state }, counts[state] ?? 0);
          const depth = await queue.depth();
          queueDepth.set(depth.ready);
          deadLetters.set(depth.dead);
        };
        const gaugeTimer = setInterval(
          () => refreshGauges().catch(() => {}),
          5000,
        );
        gaugeTimer.unref();
        refreshGauges().catch(() => {});
        deps.lifecycle.addShutdownHook(() => clearInterval(gaugeTimer));
        const callers = new Callers(
          deps.httpAuth,
          deps.permissions,
          settings.serviceCallers,
        );
        deps.httpRouter.use(createRouter({ instances, store, queue, callers }));
        deps.httpRouter.use(createBuildsRouter({ builds, callers }));
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        // The build workflow's exit handler has no Backstage credentials; it
        // authenticates with its per-build token instead.
        deps.httpRouter.addAuthPolicy({
          path: '/builds/:id/callback',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
