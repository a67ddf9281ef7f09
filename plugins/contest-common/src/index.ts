/**
 * Flagstage contest logic shared by the backend and the portal: scoring
 * functions, scoreboard ranking, regex-flag safety, permissions and API types.
 * Isomorphic: no Node.js APIs.
 *
 * @packageDocumentation
 */
export * from './scoring';
export * from './scoreboard';
export * from './regexSafety';
export * from './permissions';
export * from './types';
export * from './api';
