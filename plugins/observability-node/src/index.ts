/**
 * Shared observability plumbing.
 *
 * @packageDocumentation
 */
export {};
