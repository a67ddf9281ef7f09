import {
  gatewayAdminPermissions,
  gatewayLimitsUpdatePermission,
  gatewayReadPermission,
  gatewayRevocationsCreatePermission,
  gatewayRevocationsDeletePermission,
} from './permissions';

describe('gateway-admin permissions', () => {
  it('live in the gateway area with the action the Flagstage policy maps to roles', () => {
    expect(
      gatewayAdminPermissions.map(p => [p.name, p.attributes.action]),
    ).toEqual([
      ['flagstage.gateway.read', 'read'],
      ['flagstage.gateway.limits.update', 'update'],
      ['flagstage.gateway.revocations.create', 'create'],
      ['flagstage.gateway.revocations.delete', 'delete'],
    ]);
    expect(gatewayAdminPermissions).toEqual([
      gatewayReadPermission,
      gatewayLimitsUpdatePermission,
      gatewayRevocationsCreatePermission,
      gatewayRevocationsDeletePermission,
    ]);
    for (const p of gatewayAdminPermissions) expect(p.type).toBe('basic');
  });
});
