/**
 * A Kubernetes API simulator for tests — not a runtime. It serves the REST and
 * watch protocol for the resources Flagstage uses over real HTTP on
 * 127.0.0.1, so code built on `@kubernetes/client-node` is tested unchanged.
 * See README.md for what it simulates and what it does not.
 *
 * @packageDocumentation
 */
export { KubeSimulator, KubeSimulatorError } from './KubeSimulator';
export type {
  FaultInjection,
  Kind,
  KubeSimulatorOptions,
} from './KubeSimulator';
export type { WorkflowMatch } from './faults/Faults';
export { parseLabelSelector, matchesSelector } from './labelSelector';
