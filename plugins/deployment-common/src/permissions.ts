import { createPermission } from '@backstage/plugin-permission-common';

/** See instances, their timelines, output and the queue. @public */
export const instanceReadPermission = createPermission({
  name: 'flagstage.instance.read',
  attributes: { action: 'read' },
});

/** Start an instance for a team (staff; contestants go through the contest API). @public */
export const instanceCreatePermission = createPermission({
  name: 'flagstage.instance.create',
  attributes: { action: 'create' },
});

/** Stop any instance. @public */
export const instanceStopPermission = createPermission({
  name: 'flagstage.instance.stop',
  attributes: { action: 'delete' },
});

/** Extend any instance. @public */
export const instanceExtendPermission = createPermission({
  name: 'flagstage.instance.extend',
  attributes: { action: 'update' },
});

/** Every instance permission. @public */
export const instancePermissions = [
  instanceReadPermission,
  instanceCreatePermission,
  instanceStopPermission,
  instanceExtendPermission,
];
