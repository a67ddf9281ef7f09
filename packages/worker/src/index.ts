/*
 * The Flagstage worker: a Backstage backend that runs only the deployment
 * worker plugin. It consumes deploy and stop jobs from RabbitMQ
 * (deployment.queue.amqpUrl) and reaches the portal backend's deployment,
 * contest and catalog plugins through discovery (see app-config.worker.yaml).
 * Scale it horizontally; each replica respects deploymentWorker.concurrency.
 */
// First: tracing must be running before Backstage and the plugins load.
import { version } from './instrumentation';
import { createBackend } from '@backstage/backend-defaults';
import {
  flagstageRootHttpRouterServiceFactory,
  flagstageRootLoggerServiceFactory,
} from '@flagstage/plugin-observability-node';
import { observabilityModuleJobQueue } from '@flagstage/plugin-deployment-node';

const backend = createBackend();
// JSON logs with trace ids, HTTP metrics, /healthz and /readyz on the public
// port, /metrics and /health on the internal one (observability.internal).
backend.add(flagstageRootLoggerServiceFactory({ service: 'worker', version }));
backend.add(flagstageRootHttpRouterServiceFactory({ service: 'worker' }));
backend.add(import('@flagstage/plugin-observability-backend'));
backend.add(observabilityModuleJobQueue);
backend.add(import('@flagstage/plugin-deployment-worker'));
backend.start();
