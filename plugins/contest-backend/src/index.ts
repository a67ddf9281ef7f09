/**
 * Flagstage contest backend plugin.
 *
 * @packageDocumentation
 */
export { contestPlugin as default } from './plugin';
export { dynamicFlag } from './services/flags';
