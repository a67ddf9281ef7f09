/**
 * Gateway admin backend: limits and revocations for the Challenge Gateway,
 * published through Redis; live connections and top talkers.
 *
 * @packageDocumentation
 */
export { gatewayAdminPlugin as default } from './plugin';
export {
  gatewayAdminPermissions,
  gatewayLimitsUpdatePermission,
  gatewayReadPermission,
  gatewayRevocationsCreatePermission,
  gatewayRevocationsDeletePermission,
} from '@flagstage/plugin-gateway-admin-common';
