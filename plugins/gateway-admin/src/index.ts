/**
 * Portal pages for the Challenge Gateway: limits, revocations, live
 * connections and top talkers.
 *
 * @packageDocumentation
 */
export { default, gatewayAdminApi, gatewayAdminPage } from './plugin';
export { gatewayAdminApiRef, GatewayAdminClient } from './api';
export type { GatewayAdminApi } from './api';
export { rootRouteRef } from './routes';
