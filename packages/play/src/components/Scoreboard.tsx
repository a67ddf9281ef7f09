import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { PublicContest } from '@flagstage/plugin-contest-common';
import { api, messageOf } from '../lib/api';
import { formatTime } from '../lib/hooks';
import { keys } from '../lib/queries';
import { ErrorText } from './ErrorText';
import { ScoreChart } from './ScoreChart';

/** The public scoreboard: divisions, own row highlighted, chart, frozen banner. */
export function Scoreboard(props: {
  contest: PublicContest;
  myTeamId?: string;
}) {
  const { contest } = props;
  const [division, setDivision] = useState('');
  const scoreboard = useQuery({
    queryKey: keys.scoreboard(contest.slug, division),
    queryFn: () => api.scoreboard(contest.slug, division || undefined),
    refetchInterval: 10000,
    // Another division keeps the board on screen until its own arrives.
    placeholderData: keepPreviousData,
  });
  const board = scoreboard.data;
  const error = scoreboard.error ? messageOf(scoreboard.error) : null;

  return (
    <section aria-labelledby="scoreboard-title">
      <div className="row spread">
        <h1 id="scoreboard-title">Scoreboard</h1>
        {contest.divisions.length > 0 && (
          <label className="inline">
            Division{' '}
            <select
              value={division}
              onChange={e => setDivision(e.target.value)}
            >
              <option value="">All teams</option>
              {contest.divisions.map(d => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {board?.frozen && (
        <p className="banner frozen" role="status">
          ❄ The scoreboard is frozen
          {contest.freezeAt ? ` since ${formatTime(contest.freezeAt)}` : ''}:
          solves after that show when the contest ends.
        </p>
      )}
      <ErrorText message={error} />
      {board && (
        <>
          <div className="card">
            <ScoreChart series={board.top10Series} until={board.computedAt} />
          </div>
          <div className="card table-wrap">
            <table className="scores">
              <caption className="visually-hidden">Team standings</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Team</th>
                  {contest.divisions.length > 0 && (
                    <th scope="col">Division</th>
                  )}
                  <th scope="col" className="num">
                    Score
                  </th>
                </tr>
              </thead>
              <tbody>
                {board.entries.length === 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      No teams yet.
                    </td>
                  </tr>
                )}
                {board.entries.map(e => {
                  const mine = e.teamId === props.myTeamId;
                  return (
                    <tr
                      key={e.teamId}
                      className={mine ? 'mine' : undefined}
                      aria-current={mine ? 'true' : undefined}
                    >
                      <td>{e.pos}</td>
                      <td>
                        {e.team}
                        {mine && <span className="badge you"> your team</span>}
                      </td>
                      {contest.divisions.length > 0 && <td>{e.division}</td>}
                      <td className="num">{e.score}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="muted small">
              Updated {formatTime(board.computedAt)}
              {board.total > board.entries.length
                ? ` · top ${board.entries.length} of ${board.total}`
                : ''}
            </p>
          </div>
        </>
      )}
    </section>
  );
}
