/**
 * Flagstage contest backend plugin.
 *
 * @packageDocumentation
 */
export { contestPlugin as default } from './plugin';
export { dynamicFlag } from './services/flags';

// For the benchmarks in bench/contest only (they build the services and the
// router outside a backend); not an API for other packages.
/** @internal */
export { createContestServices, type ContestServices } from './services';
/** @internal */
export { createRouter } from './router';
/** @internal */
export { effectiveScoring } from './services/ContestAdminService/contestColumns';
