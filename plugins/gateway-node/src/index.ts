/**
 * The Node-only side of the Challenge Gateway contract: signing and
 * verifying access tokens with `node:crypto`, key rings and key parsing.
 * Types and pure functions are in `@flagstage/plugin-gateway-common`.
 *
 * @packageDocumentation
 */
export {
  GatewayKeyring,
  gatewayTokenId,
  signGatewayToken,
  verifyGatewayToken,
  type GatewayKey,
} from './token';
export { isDevelopmentGatewayKey, parseGatewayKeys } from './keys';
export {
  GatewayInstanceRevocationsPublisher,
  gatewayInstanceRevocationsServiceRef,
  type GatewayInstanceRevocations,
} from './instanceRevocations';
