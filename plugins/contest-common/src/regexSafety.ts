/**
 * Regex-flag checking and matching, re-exported for the contest backend and
 * portal. The implementation (RE2 semantics on re2js, linear time) lives
 * beside the Challenge entity in `@flagstage/plugin-challenge-common`, which
 * validates flag patterns when the catalog reads a challenge: one check,
 * shared by the catalog, the portal and the backend.
 */
export {
  checkRegexFlagPattern,
  regexFlagMatches,
  MAX_FLAG_PATTERN_LENGTH,
  MAX_FLAG_SUBMISSION_LENGTH,
} from '@flagstage/plugin-challenge-common';
export type { RegexFlagPatternCheck } from '@flagstage/plugin-challenge-common';
