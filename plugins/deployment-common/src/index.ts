/**
 * Flagstage instances: states, jobs, queue and runtime-driver contracts.
 *
 * @packageDocumentation
 */
export * from './instanceStates';
export * from './jobs';
export * from './runtimeDriver';
export * from './permissions';
export * from './instanceView';
export * from './builds';
export * from './api';
