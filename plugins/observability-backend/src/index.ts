/**
 * Logs backend.
 *
 * @packageDocumentation
 */
export {};
