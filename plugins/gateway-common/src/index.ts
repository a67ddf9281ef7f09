/**
 * Contracts shared by the Challenge Gateway, gateway-admin and the deployment
 * plugin: signed access tokens, limits, revocations, Redis keys.
 *
 * @packageDocumentation
 */
export * from './token';
export * from './limits';
export * from './redisContract';
