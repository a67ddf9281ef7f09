import { createPermission } from '@backstage/plugin-permission-common';

/** See contests and their challenges, scoreboards and standings. @public */
export const contestReadPermission = createPermission({
  name: 'flagstage.contest.read',
  attributes: { action: 'read' },
});

/** Create a contest. @public */
export const contestCreatePermission = createPermission({
  name: 'flagstage.contest.create',
  attributes: { action: 'create' },
});

/** Change a contest: times, divisions, challenges, freeze. @public */
export const contestUpdatePermission = createPermission({
  name: 'flagstage.contest.update',
  attributes: { action: 'update' },
});

/** Delete a contest. @public */
export const contestDeletePermission = createPermission({
  name: 'flagstage.contest.delete',
  attributes: { action: 'delete' },
});

/** Ban or unban a team in a contest. @public */
export const contestTeamBanPermission = createPermission({
  name: 'flagstage.contest.team.ban',
  attributes: { action: 'update' },
});

/** Read every team's flag submissions. @public */
export const contestSubmissionsReadPermission = createPermission({
  name: 'flagstage.contest.submissions.read',
  attributes: { action: 'read' },
});

/** Read incidents (suspected flag sharing, abuse). @public */
export const contestIncidentsReadPermission = createPermission({
  name: 'flagstage.contest.incidents.read',
  attributes: { action: 'read' },
});

/** Post announcements to a contest. @public */
export const contestAnnouncePermission = createPermission({
  name: 'flagstage.contest.announce',
  attributes: { action: 'create' },
});

/**
 * Read solves, attempts and first blood of challenges across contests. Authors
 * hold it for the challenges they own; the contest API checks ownership.
 *
 * @public
 */
export const contestChallengeStatsReadPermission = createPermission({
  name: 'flagstage.contest.challengestats.read',
  attributes: { action: 'read' },
});

/** Every contest permission, for registration with the permission framework. @public */
export const contestPermissions = [
  contestReadPermission,
  contestCreatePermission,
  contestUpdatePermission,
  contestDeletePermission,
  contestTeamBanPermission,
  contestSubmissionsReadPermission,
  contestIncidentsReadPermission,
  contestAnnouncePermission,
  contestChallengeStatsReadPermission,
];
