import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kubeConfigFrom } from '@flagstage/backend-node';
import { jobQueueServiceRef } from '@flagstage/plugin-deployment-node';
import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import type { RuntimeDriver } from '@flagstage/plugin-deployment-common';
import { LocalDriver } from './drivers/LocalDriver';
import { KubernetesDriver, PodListener, Reconciler } from './k8s';
import {
  BuildApi,
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
        httpAuth: coreServices.httpAuth,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const settings = deps.config.getOptionalConfig('deploymentWorker');
        // A portal backend next to a worker Deployment must not consume jobs
        // too (it would run them with its own driver): the chart sets false.
        if (settings?.getOptionalBoolean('enabled') === false) {
          deps.logger.info('Deployment worker disabled in this process');
          return;
        }
        const concurrency = settings?.getOptionalNumber('concurrency') ?? 4;
        const driverName = settings?.getOptionalString('driver') ?? 'local';
        if (driverName !== 'local' && driverName !== 'kubernetes') {
          throw new Error(
            `deploymentWorker.driver must be "local" or "kubernetes", not "${driverName}"`,
          );
        }
        const output: { worker?: DeploymentWorker } = {};
        const instances = new InstanceApi(
          new PluginClient(deps.discovery, deps.auth, 'deployment'),
        );
        let driver: RuntimeDriver;
        let kubernetes:
          | {
              driver: KubernetesDriver;
              listener: PodListener;
              reconciler: Reconciler;
            }
          | undefined;
        if (driverName === 'kubernetes') {
          const k8s = settings?.getOptionalConfig('kubernetes');
          // The cluster is named here and declared once, in `kubernetes`.
          const kubeConfig = kubeConfigFrom(
            deps.config,
            k8s?.getOptionalString('cluster'),
          );
          const k8sDriver = new KubernetesDriver({
            kubeConfig,
            logger: deps.logger,
            argoNamespace: k8s?.getOptionalString('argoNamespace'),
            maxRunningWorkflows: k8s?.getOptionalNumber('maxRunningWorkflows'),
            registry: k8s?.getOptionalString('registry'),
          });
          kubernetes = {
            driver: k8sDriver,
            listener: new PodListener({
              kubeConfig,
              instances,
              logger: deps.logger,
              workflows: k8sDriver.workflowCache,
              teardown: id => k8sDriver.teardown(id),
              shards: k8s?.getOptionalNumber('listenerShards'),
            }),
            reconciler: new Reconciler({
              kubeConfig,
              instances,
              runtime: k8sDriver,
              logger: deps.logger,
              onAction: kind =>
                flagstageMetrics.reconcilerActions().inc({ kind }),
              deployDeadlineMs:
                (k8s?.getOptionalNumber('deployDeadlineSeconds') ?? 180) * 1000,
              graceMs:
                (k8s?.getOptionalNumber('reconcileGraceSeconds') ?? 30) * 1000,
            }),
          };
          driver = k8sDriver;
        } else {
          driver = new LocalDriver({
            startTimeoutMs:
              (settings?.getOptionalNumber('startTimeoutSeconds') ?? 30) * 1000,
            onOutput: (id, line) => output.worker?.captureOutput(id, line),
          });
        }
        const worker = new DeploymentWorker({
          queue: deps.queue,
          driver,
          instances,
          contest: new ContestRuntimeApi(
            new PluginClient(deps.discovery, deps.auth, 'contest'),
          ),
          loadEntity: async ref =>
            (await deps.catalog.getEntityByRef(ref, {
              credentials: await deps.auth.getOwnServiceCredentials(),
            })) ?? undefined,
          logger: deps.logger,
          concurrency,
          builds: new BuildApi(
            new PluginClient(deps.discovery, deps.auth, 'deployment'),
          ),
          builder: kubernetes?.driver,
        });
        output.worker = worker;
        if (kubernetes) {
          const { reconciler } = kubernetes;
          const k8sDriver = kubernetes.driver;
          const runningWorkflows = flagstageMetrics.runningWorkflows();
          const timer = setInterval(
            () => runningWorkflows.set(k8sDriver.runningWorkflows()),
            2000,
          );
          timer.unref();
          deps.lifecycle.addShutdownHook(() => clearInterval(timer));
          const interval =
            settings?.getOptionalNumber(
              'kubernetes.reconcileIntervalSeconds',
            ) ?? 30;
          await deps.scheduler.scheduleTask({
            id: 'deployment-worker-reconcile',
            frequency: { seconds: interval },
            timeout: { seconds: Math.max(60, interval * 4) },
            initialDelay: { seconds: interval },
            scope: 'global',
            fn: async () => {
              await reconciler.run();
            },
          });
          // Reconcile now (operators, tests): service principals only.
          deps.httpRouter.use(async (req, res, next) => {
            if (req.path !== '/reconcile' || req.method !== 'POST') {
              next();
              return;
            }
            try {
              await deps.httpAuth.credentials(req, { allow: ['service'] });
              res.json(await reconciler.run());
            } catch (e) {
              next(e);
            }
          });
        }
        deps.httpRouter.use((req, res, next) => {
          if (req.path === '/health') {
            res.json({
              status: 'ok',
              busy: worker.busy,
              driver: driver.name,
              ...(kubernetes && {
                runningWorkflows: kubernetes.driver.runningWorkflows(),
                waitingForWorkflowSlot: kubernetes.driver.queuedForBudget,
              }),
            });
            return;
          }
          next();
        });
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        deps.lifecycle.addStartupHook(async () => {
          if (kubernetes) {
            await kubernetes.driver.connect();
            await kubernetes.listener.start();
          }
          await worker.start();
          deps.logger.info('Deployment worker consuming', {
            concurrency,
            driver: driver.name,
          });
        });
        deps.lifecycle.addShutdownHook(async () => {
          await worker.stop();
          if (kubernetes) {
            await kubernetes.listener.stop();
            await kubernetes.driver.disconnect();
          } else {
            await (driver as LocalDriver).stopAll();
          }
        });
      },
    });
  },
});
