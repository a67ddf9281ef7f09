/*
 * The Flagstage worker: a Backstage backend that runs only the deployment
 * worker plugin. It consumes deploy and stop jobs from RabbitMQ
 * (deployment.queue.amqpUrl) and reaches the portal backend's deployment,
 * contest and catalog plugins through discovery (see app-config.worker.yaml).
 * Scale it horizontally; each replica respects deploymentWorker.concurrency.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@flagstage/plugin-deployment-worker'));
backend.start();
