import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import { contestApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { contest, fakeApi, renderSettled } from '../__testUtils__/fakes';
import { ContestsRoot } from './ContestsRoot';

function render(api: ReturnType<typeof fakeApi>) {
  return renderSettled(<ContestsRoot />, {
    apis: [
      [contestApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
    mountPath: '/contests/*',
    initialRouteEntries: ['/contests'],
    mountedRoutes: { '/contests': rootRouteRef },
  });
}

describe('ContestListPage', () => {
  it('lists contests with links to their pages', async () => {
    const api = fakeApi({
      listContests: jest.fn(async () => [
        contest(),
        contest({
          id: 'c-2',
          slug: 'quals',
          name: 'Qualifiers',
          divisions: [],
          freezeAt: '2026-11-30T10:00:00.000Z',
          registration: 'invite',
        }),
      ]),
    });
    await render(api);
    const table = await screen.findByRole('table', { name: 'contests' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(
      within(rows[1]).getByRole('link', { name: 'Finals 2026' }),
    ).toHaveAttribute('href', '/contests/finals');
    expect(within(rows[1]).getByText('open, student')).toBeInTheDocument();
    expect(
      within(rows[2]).getByRole('link', { name: 'Qualifiers' }),
    ).toHaveAttribute('href', '/contests/quals');
    expect(within(rows[2]).getByText('invite')).toBeInTheDocument();
  });

  it('says so when there are none', async () => {
    await render(fakeApi());
    expect(await screen.findByText('No contests yet.')).toBeInTheDocument();
  });

  it('creates a contest and opens its page', async () => {
    const api = fakeApi();
    await render(api);
    await userEvent.click(screen.getByRole('button', { name: 'New contest' }));
    await userEvent.type(screen.getByLabelText('Slug'), 'winter-ctf');
    await userEvent.type(screen.getByLabelText('Name'), 'Winter CTF');
    fireEvent.change(screen.getByLabelText('Starts at'), {
      target: { value: '2026-12-01T10:00' },
    });
    fireEvent.change(screen.getByLabelText('Ends at'), {
      target: { value: '2026-12-02T10:00' },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Create contest' }),
    );
    expect(api.createContest).toHaveBeenCalledWith(
      expect.objectContaining({ slug: 'winter-ctf', name: 'Winter CTF' }),
    );
    // The new contest's page loads it by slug.
    expect(
      await screen.findByRole('heading', { name: 'Finals 2026' }),
    ).toBeInTheDocument();
    expect(api.getContest).toHaveBeenCalledWith('winter-ctf');
    expect(screen.getByRole('tab', { name: 'Settings' })).toBeInTheDocument();
  });

  it('shows why the list could not load', async () => {
    const api = fakeApi({
      listContests: jest.fn(async () => {
        throw new Error('Not allowed: flagstage.contest.read');
      }),
    });
    await render(api);
    expect(
      await screen.findByText(
        'Could not load contests: Not allowed: flagstage.contest.read',
      ),
    ).toBeInTheDocument();
  });
});
