/**
 * Server helpers shared by the Flagstage backends: one home for each.
 *
 * @packageDocumentation
 */
export { parseInput } from './http/parseInput';
export { isUniqueViolation } from './database/isUniqueViolation';
export { toIso, toEpochMs, toBool, type DbTimestamp } from './database/dates';
export { connectAndMigrate, migrationsDirectory } from './database/migrations';
export { kubeConfigFrom } from './kubernetes/kubeConfigFrom';
export { redactUrl } from './text/redactUrl';
