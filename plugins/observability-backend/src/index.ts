/**
 * Flagstage observability backend: metrics, health, and log queries.
 *
 * @packageDocumentation
 */
export { observabilityPlugin as default } from './plugin';
