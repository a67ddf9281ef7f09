/**
 * The Challenge entity kind shared by Flagstage's catalog module, contest
 * plugin and portal: types, JSON schema and validation.
 *
 * @packageDocumentation
 */
export * from './ChallengeEntity';
export * from './validateChallengeEntity';
export { default as challengeEntitySchema } from './schema/Challenge.v1alpha1.schema.json';
