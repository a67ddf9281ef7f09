/**
 * Flagstage deployment worker: job consumer and runtime drivers.
 *
 * @packageDocumentation
 */
export { deploymentWorkerPlugin as default } from './plugin';
export { LocalDriver } from './drivers/LocalDriver';
export { DeploymentWorker, packageDirOf } from './services/DeploymentWorker';
// For the deploy benchmark (bench/deploy): the Kubernetes path without a backend.
export { KubernetesDriver, PodListener } from './k8s';
export { InstanceApi } from './services/clients';
