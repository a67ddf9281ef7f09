/**
 * A Kubernetes API simulator for tests — not a runtime.
 *
 * @packageDocumentation
 */
export {};
