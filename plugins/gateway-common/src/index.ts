/**
 * Contracts shared by the Challenge Gateway, gateway-admin (backend and
 * portal) and the deployment plugin: token claims, limits, revocations, Redis
 * keys. Isomorphic: no Node.js APIs (signing and verification are in
 * `@flagstage/plugin-gateway-node`).
 *
 * @packageDocumentation
 */
export * from './token';
export * from './limits';
export * from './redisContract';
