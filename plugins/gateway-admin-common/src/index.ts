/**
 * Gateway admin: permissions and API types shared by the backend and the
 * portal pages. Isomorphic: no Node.js APIs.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './api';
