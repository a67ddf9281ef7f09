import type { ChallengeScoring } from '@flagstage/plugin-challenge-common';
import type { CtftimeFeed, ScoreboardEntry } from './types';
import { computeScoreboard, toEntries } from './computeScoreboard';

export { buildScoreboard, type BuildScoreboardInput } from './buildScoreboard';

/** A team as {@link rankScoreboard} needs it. @public */
export type ScoreboardTeam = {
  id: string;
  name: string;
  division: string;
  /** Banned teams get no entry, and their solves do not count anywhere. */
  banned?: boolean;
};

/** A team's (first) correct submission for a challenge. @public */
export type ScoreboardSolve = {
  teamId: string;
  challengeId: string;
  /**
   * 1-based order of this solve among the challenge's solves (first blood =
   * 1). When absent it is derived from the counted solves' times (ties: the
   * earlier in `solves`). Only matters for first-blood bonuses.
   */
  rank?: number;
  /** ISO 8601 time (a `Date` or epoch milliseconds are accepted too). */
  solvedAt: string | Date | number;
};

/** What {@link rankScoreboard} needs to know about a challenge. @public */
export type ScoreboardChallenge = {
  scoring: ChallengeScoring;
  /**
   * Solve count to score with. Default: the solves passed to
   * {@link rankScoreboard} for this challenge, one per non-banned team.
   */
  solves?: number;
};

/** Points taken off a team, e.g. hint costs. @public */
export type ScoreboardPenalty = {
  teamId: string;
  points: number;
  /** When it was incurred; places it in the score series (ISO 8601). */
  at?: string | Date | number;
};

/** Options of {@link rankScoreboard}. @public */
export type RankScoreboardOptions = {
  /** Only rank the teams of this division (positions restart at 1). */
  division?: string;
  /** Subtracted from the teams' scores (which may then go below zero). */
  penalties?: ReadonlyArray<ScoreboardPenalty>;
  /**
   * The most solves of any challenge, for `rctf`. Default: the largest solve
   * count among the challenges that appear in `solves`.
   */
  maxSolves?: number;
  /** Leave out teams without a counted solve. Default false. */
  omitTeamsWithoutSolves?: boolean;
};

/**
 * Ranks teams by score. Each solve is worth {@link solveScore} of its
 * challenge — the challenge's current value (dynamic scoring: every solver
 * gets the current value) plus any first-blood bonus for its `rank`.
 *
 * - Order: score descending; equal scores by earlier last solve (teams
 *   without solves after teams with solves); then by team id, for a stable
 *   order. `pos` is the 1-based index in that order.
 * - Banned teams, and solves of teams not in `teams`, of challenges for which
 *   `challenge` returns undefined (unknown or hidden), and repeated solves of
 *   the same challenge by a team (the earliest is kept) are skipped.
 * - Challenge values are computed once per challenge, over all divisions.
 * - Penalties are subtracted whatever their time.
 *
 * To build a frozen board, pass only the solves and penalties before the
 * freeze. Linear in teams + solves (+ a sort of the teams): 10,000 teams
 * with 200,000 solves take about 50–100 ms.
 *
 * @public
 */
export function rankScoreboard(
  teams: ReadonlyArray<ScoreboardTeam>,
  solves: ReadonlyArray<ScoreboardSolve>,
  challenge: (challengeId: string) => ScoreboardChallenge | undefined,
  options: RankScoreboardOptions = {},
): ScoreboardEntry[] {
  return toEntries(teams, computeScoreboard(teams, solves, challenge, options));
}

/**
 * The CTFtime scoreboard feed for ranked entries.
 *
 * @public
 */
export function toCtftimeFeed(
  entries: ReadonlyArray<Pick<ScoreboardEntry, 'pos' | 'team' | 'score'>>,
): CtftimeFeed {
  return {
    standings: entries.map(({ pos, team, score }) => ({ pos, team, score })),
  };
}
