import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import Router from 'express-promise-router';
import {
  collectProcessMetrics,
  createHealthRouter,
  healthChecksExtensionPoint,
  serviceMeta,
  type HealthCheck,
} from '@flagstage/plugin-observability-node';
import { dependencyChecks } from './health/dependencyChecks';
import {
  internalListenerConfig,
  startInternalListener,
} from './health/internalListener';
import { createLogsRouter, logsPermissions } from './logs';

/**
 * Observability of a Flagstage backend process: `/healthz` (liveness) and
 * `/readyz` (readiness: the database answers) at the root of the public
 * server for Kubernetes probes; `/metrics` (Prometheus, the process registry
 * every Flagstage plugin adds to) and `/health` (JSON: status, version,
 * uptime, each dependency with its latency) only on the internal listener
 * (`observability.internal`, default port 7009), which no Ingress routes:
 * they tell more than a probe needs (solve counts during a freeze,
 * dependency detail). Also the operators' log views at
 * `/api/observability/logs` (Loki, Argo workflow and challenge pod logs;
 * `flagstage.logs.read`).
 *
 * @public
 */
export const observabilityPlugin = createBackendPlugin({
  pluginId: 'observability',
  register(env) {
    // Checks added by modules (e.g. the deployment job queue's depth).
    const moduleChecks: HealthCheck[] = [];
    env.registerExtensionPoint(healthChecksExtensionPoint, {
      addHealthCheck: (...checks) => void moduleChecks.push(...checks),
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        rootHttpRouter: coreServices.rootHttpRouter,
        database: coreServices.database,
        cache: coreServices.cache,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({
        config,
        rootHttpRouter,
        database,
        cache,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
      }) {
        collectProcessMetrics();
        const meta = serviceMeta();
        const checks = [
          ...dependencyChecks({ config, database, cache }),
          ...moduleChecks,
        ];
        const router = createHealthRouter({ ...meta, checks: () => checks });
        for (const path of ['/healthz', '/readyz'])
          rootHttpRouter.use(path, (req, res, next) => {
            // The router matches on the full path; restore it below the mount.
            req.url = path + (req.url === '/' ? '' : req.url);
            router(req, res, next);
          });
        const internal = await startInternalListener(
          router,
          internalListenerConfig(config),
        );
        logger.info(`Metrics and health on the internal listener`, {
          address: internal.address,
        });
        lifecycle.addShutdownHook(() => internal.close());
        // Log views for operators: /api/observability/logs/…
        permissionsRegistry.addPermissions(logsPermissions);
        const api = Router();
        api.use(
          '/logs',
          createLogsRouter({ config, logger, httpAuth, permissions }),
        );
        httpRouter.use(api);
      },
    });
  },
});
