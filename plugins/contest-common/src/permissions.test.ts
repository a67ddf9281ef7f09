import { isPermission } from '@backstage/plugin-permission-common';
import * as permissions from './permissions';
import {
  contestAnnouncePermission,
  contestChallengeStatsReadPermission,
  contestCreatePermission,
  contestDeletePermission,
  contestIncidentsReadPermission,
  contestPermissions,
  contestReadPermission,
  contestSubmissionsReadPermission,
  contestTeamBanPermission,
  contestUpdatePermission,
} from './permissions';

describe('contest permissions', () => {
  it.each([
    [contestReadPermission, 'flagstage.contest.read', 'read'],
    [contestCreatePermission, 'flagstage.contest.create', 'create'],
    [contestUpdatePermission, 'flagstage.contest.update', 'update'],
    [contestDeletePermission, 'flagstage.contest.delete', 'delete'],
    [contestTeamBanPermission, 'flagstage.contest.team.ban', 'update'],
    [
      contestSubmissionsReadPermission,
      'flagstage.contest.submissions.read',
      'read',
    ],
    [
      contestIncidentsReadPermission,
      'flagstage.contest.incidents.read',
      'read',
    ],
    [contestAnnouncePermission, 'flagstage.contest.announce', 'create'],
    [
      contestChallengeStatsReadPermission,
      'flagstage.contest.challengestats.read',
      'read',
    ],
  ])('%#: %o is %s with action %s', (permission, name, action) => {
    expect(permission).toEqual({
      type: 'basic',
      name,
      attributes: { action },
    });
    expect(isPermission(permission, permission)).toBe(true);
  });

  it('lists every exported permission exactly once', () => {
    const exported = Object.entries(permissions)
      .filter(([key]) => key !== 'contestPermissions')
      .map(([, value]) => value);
    expect(contestPermissions).toHaveLength(exported.length);
    expect(new Set(contestPermissions)).toEqual(new Set(exported));
    expect(new Set(contestPermissions.map(p => p.name)).size).toBe(
      contestPermissions.length,
    );
  });
});
