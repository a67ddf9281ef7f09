import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import type { AdminTeam } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import {
  fakeApi,
  renderSettled,
  responseError,
  team,
} from '../__testUtils__/fakes';
import { TeamsTab } from './TeamsTab';

/** A fake backend keeping teams in memory. */
function statefulApi() {
  let teams: AdminTeam[] = [
    team(),
    team({ id: 't-2', name: 'Stack Smashers', division: 'student' }),
  ];
  return fakeApi({
    listTeams: jest.fn(async (_slug: string, q?: string) =>
      teams.filter(t => !q || t.name.toLowerCase().includes(q.toLowerCase())),
    ),
    setTeamBanned: jest.fn(async (_slug, teamId, { banned, reason }) => {
      if (teamId === 't-2' && banned) {
        throw await responseError(
          404,
          'NotFoundError',
          'No such team in this contest',
        );
      }
      teams = teams.map(t =>
        t.id === teamId
          ? { ...t, banned, banReason: banned ? reason ?? null : null }
          : t,
      );
      const t = teams.find(x => x.id === teamId)!;
      return { id: t.id, name: t.name, banned, banReason: t.banReason };
    }),
  });
}

function render(api: ReturnType<typeof fakeApi>) {
  return renderSettled(<TeamsTab slug="finals" />, {
    apis: [
      [contestApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
  });
}

const row = async (name: string) =>
  (await screen.findByText(name)).closest('tr') as HTMLElement;

describe('TeamsTab', () => {
  it('bans a team with a reason, shows it banned, and unbans it', async () => {
    const api = statefulApi();
    await render(api);
    expect(api.listTeams).toHaveBeenCalledWith('finals', undefined);
    expect(
      within(await row('Null Pointers')).getByText('Active'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Ban Null Pointers' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'flag sharing',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Ban team' }),
    );
    expect(api.setTeamBanned).toHaveBeenCalledWith('finals', 't-1', {
      banned: true,
      reason: 'flag sharing',
    });
    expect(
      await screen.findByText('Banned Null Pointers.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const banned = await row('Null Pointers');
    expect(within(banned).getByText('Banned')).toBeInTheDocument();
    expect(within(banned).getByText(/flag sharing/)).toBeInTheDocument();

    await userEvent.click(
      within(banned).getByRole('button', { name: 'Unban Null Pointers' }),
    );
    expect(api.setTeamBanned).toHaveBeenLastCalledWith('finals', 't-1', {
      banned: false,
    });
    expect(
      await screen.findByText('Unbanned Null Pointers.'),
    ).toBeInTheDocument();
    expect(
      within(await row('Null Pointers')).getByText('Active'),
    ).toBeInTheDocument();
  });

  it('keeps the dialog open with the backend’s message when a ban fails', async () => {
    const api = statefulApi();
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Ban Stack Smashers' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Ban team' }),
    );
    expect(
      await within(dialog).findByText('No such team in this contest'),
    ).toBeInTheDocument();
    expect(
      within(await row('Stack Smashers')).getByText('Active'),
    ).toBeInTheDocument();
  });

  it('searches teams by name', async () => {
    const api = statefulApi();
    await render(api);
    await userEvent.type(screen.getByLabelText('Search teams'), 'stack');
    await waitFor(() =>
      expect(api.listTeams).toHaveBeenLastCalledWith('finals', 'stack'),
    );
    await waitFor(() =>
      expect(screen.queryByText('Null Pointers')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('Stack Smashers')).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText('Search teams'));
    await userEvent.type(screen.getByLabelText('Search teams'), 'zzz');
    expect(
      await screen.findByText('No team matches “zzz”.'),
    ).toBeInTheDocument();
  });
});
