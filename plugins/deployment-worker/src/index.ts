/**
 * Flagstage deployment worker: job consumer and runtime drivers.
 *
 * @packageDocumentation
 */
export { deploymentWorkerPlugin as default } from './plugin';
export { LocalDriver } from './drivers/LocalDriver';
export { DeploymentWorker, packageDirOf } from './services/DeploymentWorker';
