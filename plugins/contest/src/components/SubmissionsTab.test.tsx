import { screen, waitFor, within } from '@testing-library/react';
import type { AdminSubmission } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import { fakeApi, renderSettled } from '../__testUtils__/fakes';
import { SubmissionsTab } from './SubmissionsTab';

const submission = (
  id: number,
  patch: Partial<AdminSubmission> = {},
): AdminSubmission => ({
  id,
  team: `team-${id}`,
  challenge: 'web-cookie-jar',
  contestantId: `p-${id}`,
  outcome: 'incorrect',
  at: '2026-12-01T10:00:00.000Z',
  ...patch,
});

describe('SubmissionsTab', () => {
  it('loads the latest, then polls for those after the newest seen and puts them on top', async () => {
    const answers: AdminSubmission[][] = [
      [submission(2), submission(1)],
      [submission(4, { outcome: 'correct' }), submission(3)],
    ];
    const api = fakeApi({
      listSubmissions: jest.fn(async () => answers.shift() ?? []),
    });
    await renderSettled(<SubmissionsTab slug="finals" refreshMs={20} />, {
      apis: [[contestApiRef, api]],
    });
    expect(api.listSubmissions).toHaveBeenNthCalledWith(1, 'finals', undefined);
    await waitFor(() =>
      expect(api.listSubmissions).toHaveBeenCalledWith('finals', 2),
    );
    await waitFor(() =>
      expect(api.listSubmissions).toHaveBeenCalledWith('finals', 4),
    );
    const table = await screen.findByRole('table', { name: 'submissions' });
    const teams = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r => within(r).getAllByRole('cell')[1].textContent);
    expect(teams).toEqual(['team-4', 'team-3', 'team-2', 'team-1']);
    expect(within(table).getByText('Correct')).toBeInTheDocument();
    expect(
      screen.getByText('Showing 4 (of which 1 correct)'),
    ).toBeInTheDocument();
  });

  it('shows the backend’s message when the feed is refused', async () => {
    const api = fakeApi({
      listSubmissions: jest.fn(async () => {
        throw new Error('Not allowed: flagstage.contest.submissions.read');
      }),
    });
    await renderSettled(<SubmissionsTab slug="finals" refreshMs={60000} />, {
      apis: [[contestApiRef, api]],
    });
    expect(
      await screen.findByText(
        'Could not load submissions: Not allowed: flagstage.contest.submissions.read',
      ),
    ).toBeInTheDocument();
  });
});
