/**
 * The Challenge Gateway.
 *
 * @packageDocumentation
 */
export { startGateway, type Gateway } from './gateway';
export { configFromEnv, type GatewayConfig } from './config';
export { ACCESS_COOKIE, WS_TCP_PATH, instanceOfHost } from './httpServer';
export { TokenBuckets } from './tokenBucket';
export { ConnectionCaps } from './connectionCaps';
