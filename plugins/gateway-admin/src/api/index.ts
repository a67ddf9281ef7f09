export { gatewayAdminApiRef, type GatewayAdminApi } from './GatewayAdminApi';
export { GatewayAdminClient } from './GatewayAdminClient';
