import { screen } from '@testing-library/react';
import { render } from '../__testUtils__/render';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { API, contest, server, setupMockApi } from '../__testUtils__/server';
import { Scoreboard } from './Scoreboard';

setupMockApi();

const entry = (
  pos: number,
  team: string,
  score: number,
  division = 'open',
) => ({
  pos,
  teamId: `t${pos}`,
  team,
  division,
  score,
  lastSolveAt: '2026-01-01T10:00:00.000Z',
});

describe('Scoreboard', () => {
  it('highlights the own row, draws the top-10 chart, shows the frozen banner and filters by division', async () => {
    const divisions: Array<string | null> = [];
    server.use(
      http.get(`${API}/contests/demo/scoreboard`, ({ request }) => {
        const division = new URL(request.url).searchParams.get('division');
        divisions.push(division);
        const entries =
          division === 'student'
            ? [entry(1, 'Bobs', 450, 'student')]
            : [entry(1, 'Alices', 975), entry(2, 'Bobs', 450, 'student')];
        return HttpResponse.json({
          contestId: 'c',
          frozen: true,
          computedAt: '2026-01-01T11:00:00.000Z',
          division,
          page: 1,
          pageSize: 100,
          pages: 1,
          total: entries.length,
          entries,
          top10Series: entries.map(e => ({
            teamId: e.teamId,
            team: e.team,
            points: [{ at: '2026-01-01T10:00:00.000Z', score: e.score }],
          })),
        });
      }),
    );
    const user = userEvent.setup();
    render(
      <Scoreboard
        contest={{
          ...contest,
          divisions: ['student', 'open'],
          freezeAt: '2026-01-01T10:30:00.000Z',
        }}
        myTeamId="t2"
      />,
    );
    const mine = await screen.findByRole('row', { current: true });
    expect(mine).toHaveTextContent('Bobs');
    expect(mine).toHaveTextContent('your team');
    expect(screen.getByRole('row', { name: /Alices/ })).not.toHaveAttribute(
      'aria-current',
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      /The scoreboard is frozen since/,
    );
    expect(
      screen.getByRole('img', { name: 'Score over time of the top 2 teams' }),
    ).toBeInTheDocument();
    expect(document.querySelectorAll('svg path')).toHaveLength(2);

    await user.selectOptions(screen.getByLabelText('Division'), 'student');
    expect(await screen.findAllByRole('row')).toHaveLength(2);
    expect(divisions).toEqual([null, 'student']);
  });
});
