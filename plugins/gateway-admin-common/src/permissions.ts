import { createPermission } from '@backstage/plugin-permission-common';

/**
 * See gateway limits, revocations, live connections and top talkers. Every
 * signed-in staff member holds it under the Flagstage policy.
 *
 * @public
 */
export const gatewayReadPermission = createPermission({
  name: 'flagstage.gateway.read',
  attributes: { action: 'read' },
});

/** Change the limits every gateway replica applies (operators, admins). @public */
export const gatewayLimitsUpdatePermission = createPermission({
  name: 'flagstage.gateway.limits.update',
  attributes: { action: 'update' },
});

/** Revoke access by instance, team or token (operators, admins). @public */
export const gatewayRevocationsCreatePermission = createPermission({
  name: 'flagstage.gateway.revocations.create',
  attributes: { action: 'create' },
});

/** Lift a revocation (operators, admins). @public */
export const gatewayRevocationsDeletePermission = createPermission({
  name: 'flagstage.gateway.revocations.delete',
  attributes: { action: 'delete' },
});

/** Every gateway-admin permission, for registration by the backend. @public */
export const gatewayAdminPermissions = [
  gatewayReadPermission,
  gatewayLimitsUpdatePermission,
  gatewayRevocationsCreatePermission,
  gatewayRevocationsDeletePermission,
];
