/*
 * Compile-time checks that the API shapes of @flagstage/plugin-gateway-admin-common
 * (which the portal can import) agree with the gateway contract of
 * @flagstage/plugin-gateway-common (Node-only). `yarn tsc` fails if they drift.
 */
import type {
  GatewayLimits,
  GatewayLiveConnection,
  GatewayRevocation,
  GatewayRevocationScope,
} from '@flagstage/plugin-gateway-common';
import type {
  GatewayConnectionItem,
  GatewayLimitsDocument,
  GatewayRevocationItem,
  GatewayRevocationScopeName,
} from '@flagstage/plugin-gateway-admin-common';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type ContractChecks = [
  Assert<GatewayLimits extends GatewayLimitsDocument ? true : false>,
  Assert<Same<GatewayRevocation, GatewayRevocationItem>>,
  Assert<Same<GatewayRevocationScope, GatewayRevocationScopeName>>,
  Assert<
    GatewayLiveConnection & { replica: string } extends GatewayConnectionItem
      ? true
      : false
  >,
];
