import { createPermission } from '@backstage/plugin-permission-common';

/** Where a challenge image build is. @public */
export const BUILD_STATUSES = [
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
] as const;

/** @public */
export type BuildStatus = (typeof BUILD_STATUSES)[number];

/**
 * A build of a challenge package's image (the `build-challenge` workflow) as
 * the deployment API returns it. The callback token is never part of it.
 *
 * @public
 */
export type BuildView = {
  id: string;
  challengeRef: string;
  status: BuildStatus;
  /** The image pushed (or to be pushed), `<registry>/<challenge>:<tag>`. */
  image: string | null;
  /** The Argo workflow, `build-<id>`, once submitted. */
  workflow: string | null;
  /** Why it failed, or what the workflow reported. */
  message: string | null;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
};

/** Start a build of a challenge's image (authors and admins). @public */
export const buildCreatePermission = createPermission({
  name: 'flagstage.challenge.build.create',
  attributes: { action: 'create' },
});

/** See a challenge's builds. @public */
export const buildReadPermission = createPermission({
  name: 'flagstage.challenge.build.read',
  attributes: { action: 'read' },
});
