import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { jobQueueServiceRef } from '@flagstage/plugin-deployment-node';
import { LocalDriver } from './drivers/LocalDriver';
import {
  ContestRuntimeApi,
  InstanceApi,
  PluginClient,
} from './services/clients';
import { DeploymentWorker } from './services/DeploymentWorker';

/**
 * The deployment worker: consumes deploy and stop jobs and drives the
 * runtime. Runs in the worker image (packages/worker) and, in the embedded
 * default, inside the portal backend.
 *
 * @public
 */
export const deploymentWorkerPlugin = createBackendPlugin({
  pluginId: 'deployment-worker',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        queue: jobQueueServiceRef,
        httpRouter: coreServices.httpRouter,
      },
      async init(deps) {
        const settings = deps.config.getOptionalConfig('deploymentWorker');
        const concurrency = settings?.getOptionalNumber('concurrency') ?? 4;
        const driverName = settings?.getOptionalString('driver') ?? 'local';
        if (driverName !== 'local') {
          throw new Error(
            `deploymentWorker.driver "${driverName}" is not available in this build (local)`,
          );
        }
        const output: { worker?: DeploymentWorker } = {};
        const driver = new LocalDriver({
          startTimeoutMs:
            (settings?.getOptionalNumber('startTimeoutSeconds') ?? 30) * 1000,
          onOutput: (id, line) => output.worker?.captureOutput(id, line),
        });
        const worker = new DeploymentWorker({
          queue: deps.queue,
          driver,
          instances: new InstanceApi(
            new PluginClient(deps.discovery, deps.auth, 'deployment'),
          ),
          contest: new ContestRuntimeApi(
            new PluginClient(deps.discovery, deps.auth, 'contest'),
          ),
          loadEntity: async ref =>
            (await deps.catalog.getEntityByRef(ref, {
              credentials: await deps.auth.getOwnServiceCredentials(),
            })) ?? undefined,
          logger: deps.logger,
          concurrency,
        });
        output.worker = worker;
        deps.httpRouter.use((req, res, next) => {
          if (req.path === '/health') {
            res.json({ status: 'ok', busy: worker.busy, driver: driver.name });
            return;
          }
          next();
        });
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        deps.lifecycle.addStartupHook(async () => {
          await worker.start();
          deps.logger.info('Deployment worker consuming', {
            concurrency,
            driver: driver.name,
          });
        });
        deps.lifecycle.addShutdownHook(async () => {
          await worker.stop();
          await driver.stopAll();
        });
      },
    });
  },
});
