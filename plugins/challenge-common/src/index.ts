/**
 * The Challenge entity kind shared by Flagstage's catalog module, contest
 * plugin and portal: types, JSON schema, validation and regex-flag matching
 * (RE2 semantics, linear time).
 *
 * @packageDocumentation
 */
export * from './ChallengeEntity';
export * from './validateChallengeEntity';
export * from './regexFlag';
export { default as challengeEntitySchema } from './schema/Challenge.v1alpha1.schema.json';
