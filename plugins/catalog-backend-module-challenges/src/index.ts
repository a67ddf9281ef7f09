/**
 * Catalog backend module for Flagstage's Challenge entity kind.
 *
 * @packageDocumentation
 */
export { catalogModuleChallenges as default } from './module';
export {
  ChallengeEntityProcessor,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from './ChallengeEntityProcessor';
