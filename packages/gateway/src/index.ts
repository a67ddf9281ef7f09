/**
 * The Challenge Gateway.
 *
 * @packageDocumentation
 */
export { startGateway, type Gateway } from './gateway';
export { configFromEnv, type GatewayConfig } from './config';
export { embeddedGatewayConfig } from './embeddedConfig';
export { ACCESS_COOKIE } from './tokenSources';
export { WS_TCP_PATH } from './webSocketTcpBridge';
export { instanceOfHost } from './virtualHosts';
export { TokenBuckets } from './tokenBucket';
export { ConnectionCaps } from './connectionCaps';
