/**
 * Catalog backend module for Flagstage's Challenge entity kind.
 *
 * @packageDocumentation
 */
export { catalogModuleChallenges as default } from './module';
export { ChallengeEntityProcessor } from './ChallengeEntityProcessor';
