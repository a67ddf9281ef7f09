/**
 * A Kubernetes API simulator for tests — not a runtime. See README.md.
 *
 * @packageDocumentation
 */
export { KubeSimulator } from './KubeSimulator';
export type { Kind, KubeSimulatorOptions } from './KubeSimulator';
export { parseLabelSelector, matchesSelector } from './labelSelector';
