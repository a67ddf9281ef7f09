import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading logs: Loki queries, Argo workflow pod logs and challenge pod logs.
 * Logs can carry player traffic and infrastructure detail, so the Flagstage
 * policy grants it to operators and admins only (not to every reader).
 *
 * @public
 */
export const logsReadPermission = createPermission({
  name: 'flagstage.logs.read',
  attributes: { action: 'read' },
});

/** Every permission of the log views, for the permission integration. @public */
export const logsPermissions = [logsReadPermission];
