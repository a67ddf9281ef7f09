import { screen, waitFor } from '@testing-library/react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import { contestApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { contest, fakeApi, renderSettled, team } from '../__testUtils__/fakes';
import { AnnouncementsTab } from './AnnouncementsTab';
import { ContestListPage } from './ContestListPage';
import { SettingsTab } from './SettingsTab';
import { TeamsTab } from './TeamsTab';

/*
 * Operators read every contest's data but change nothing. Its own file:
 * usePermission caches decisions per module, and the other suites allow
 * everything.
 */
describe('for operators (read-only)', () => {
  const asked = new Set<string>();
  const permission = mockApis.permission({
    authorize: (request: EvaluatePermissionRequest) => {
      asked.add(request.permission.name);
      return request.permission.attributes.action === 'read'
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    },
  });

  it('cannot create contests', async () => {
    await renderSettled(<ContestListPage />, {
      apis: [[contestApiRef, fakeApi()], permission],
      mountedRoutes: { '/contests': rootRouteRef },
    });
    await waitFor(() => expect(asked).toContain('flagstage.contest.create'));
    expect(screen.getByRole('button', { name: 'New contest' })).toBeDisabled();
    expect(
      screen.getByText('Only admins create contests.'),
    ).toBeInTheDocument();
  });

  it('sees the settings but cannot save or delete', async () => {
    await renderSettled(
      <SettingsTab contest={contest()} onChanged={async () => {}} />,
      { apis: [[contestApiRef, fakeApi()], permission] },
    );
    await waitFor(() => expect(asked).toContain('flagstage.contest.delete'));
    expect(screen.getByLabelText('Name')).toHaveValue('Finals 2026');
    expect(screen.getByLabelText('Name')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Delete contest' }),
    ).toBeDisabled();
  });

  it('lists teams but cannot ban', async () => {
    const api = fakeApi({ listTeams: jest.fn(async () => [team()]) });
    await renderSettled(<TeamsTab slug="finals" />, {
      apis: [[contestApiRef, api], permission],
    });
    const ban = await screen.findByRole('button', {
      name: 'Ban Null Pointers',
    });
    await waitFor(() => expect(asked).toContain('flagstage.contest.team.ban'));
    expect(ban).toBeDisabled();
  });

  it('reads announcements but cannot post', async () => {
    const api = fakeApi({
      listAnnouncements: jest.fn(async () => [
        {
          id: 1,
          title: 'Welcome',
          body: 'Good luck',
          createdAt: '2026-12-01T10:00:00.000Z',
        },
      ]),
    });
    await renderSettled(<AnnouncementsTab slug="finals" />, {
      apis: [[contestApiRef, api], permission],
    });
    expect(await screen.findByText('Welcome')).toBeInTheDocument();
    await waitFor(() => expect(asked).toContain('flagstage.contest.announce'));
    expect(screen.getByLabelText('Title')).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Post to contestants' }),
    ).toBeDisabled();
  });
});
