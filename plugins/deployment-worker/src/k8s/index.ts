export { KubernetesDriver } from './KubernetesDriver';
export type {
  KubernetesDriverOptions,
  WorkflowObject,
} from './KubernetesDriver';
export { PodListener } from './PodListener';
export type { ListenerDecision, PodListenerOptions } from './PodListener';
export { Reconciler } from './Reconciler';
export type { ReconcileKind, ReconcileReport } from './Reconciler';

export { podVerdict } from './podVerdict';
export * from './names';
export * from './render';
