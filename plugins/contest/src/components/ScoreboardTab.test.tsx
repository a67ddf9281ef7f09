import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ScoreboardPage } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import { contest, fakeApi, renderSettled } from '../__testUtils__/fakes';
import { ScoreboardTab } from './ScoreboardTab';

const FREEZE = '2026-01-01T09:00:00.000Z';

function board(frozen: boolean, leader: string): ScoreboardPage {
  return {
    contestId: 'c-1',
    frozen,
    computedAt: '2026-01-01T10:00:00.000Z',
    entries: [
      {
        pos: 1,
        teamId: 't-1',
        team: leader,
        division: 'open',
        score: 900,
        lastSolveAt: null,
      },
    ],
    top10Series: [],
    division: null,
    page: 1,
    pageSize: 100,
    pages: 1,
    total: 1,
  };
}

describe('ScoreboardTab', () => {
  it('previews the live board and the frozen public one, by division', async () => {
    const api = fakeApi({
      getScoreboard: jest.fn(async (_slug, options) =>
        options?.view === 'public'
          ? board(true, 'Frozen Leaders')
          : board(false, 'Live Leaders'),
      ),
    });
    await renderSettled(
      <ScoreboardTab
        contest={contest({
          startsAt: '2026-01-01T00:00:00.000Z',
          endsAt: '2099-01-01T00:00:00.000Z',
          freezeAt: FREEZE,
        })}
      />,
      { apis: [[contestApiRef, api]] },
    );
    const table = await screen.findByRole('table', { name: 'scoreboard' });
    expect(within(table).getByText('Live Leaders')).toBeInTheDocument();
    expect(api.getScoreboard).toHaveBeenLastCalledWith('finals', {
      view: 'live',
      division: undefined,
      page: 1,
    });
    expect(
      screen.getByText(/this live board is for staff only/),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('frozen-chip')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'public' }));
    expect(await screen.findByText('Frozen Leaders')).toBeInTheDocument();
    expect(screen.getByTestId('frozen-chip')).toBeInTheDocument();
    expect(
      screen.getByText(/contestants see the standings as of/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Division'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('student'),
    );
    await waitFor(() =>
      expect(api.getScoreboard).toHaveBeenLastCalledWith('finals', {
        view: 'public',
        division: 'student',
        page: 1,
      }),
    );
  });
});
