import type { Scoreboard, ScoreSeries } from './types';
import type {
  RankScoreboardOptions,
  ScoreboardChallenge,
  ScoreboardSolve,
  ScoreboardTeam,
} from './scoreboard';
import { computeScoreboard, toEntries } from './computeScoreboard';
import { canonicalTime } from './scoreboardTime';

/** How many teams `buildScoreboard` draws a score series for. */
const SERIES_TEAMS = 10;

/** Input of {@link buildScoreboard}. @public */
export type BuildScoreboardInput = RankScoreboardOptions & {
  contestId: string;
  /** ISO time to stamp the board with. */
  computedAt: string;
  /** Whether these are the standings at the freeze (solves already cut). */
  frozen: boolean;
  teams: ReadonlyArray<ScoreboardTeam>;
  /** The contest's visible challenges; solves of others are skipped. */
  challenges: ReadonlyArray<ScoreboardChallenge & { id: string }>;
  solves: ReadonlyArray<ScoreboardSolve>;
};

/**
 * A whole {@link Scoreboard}: {@link rankScoreboard}'s entries plus the
 * score over time of the top 10 teams. A series has one point per distinct
 * time at which the team solved something or incurred a timed penalty, with
 * the running score (every solve at its current value, as on the board);
 * untimed penalties and solves with invalid times count from the first
 * point, so the last point (if any) equals the team's score.
 *
 * @public
 */
export function buildScoreboard(input: BuildScoreboardInput): Scoreboard {
  const { contestId, computedAt, frozen, teams, challenges, solves } = input;
  const byId = new Map(challenges.map(c => [c.id, c]));
  const computed = computeScoreboard(teams, solves, id => byId.get(id), input);

  // Events of the top teams: [time, points] pairs, gathered in one pass.
  const top = computed.ranked.slice(0, SERIES_TEAMS);
  const slot = new Map(top.map((t, i) => [t, i]));
  const events = top.map(() => [] as Array<[string, number]>);
  const offset = top.map(() => 0);
  const add = (t: number, time: string | undefined, points: number) => {
    const i = slot.get(t);
    if (i === undefined) {
      return;
    }
    if (time === undefined) {
      offset[i] += points;
    } else {
      events[i].push([time, points]);
    }
  };
  for (let s = 0; s < computed.solveCount; s++) {
    add(computed.solveTeam[s], computed.solveTime[s], computed.solvePoints[s]);
  }
  if (input.penalties?.length) {
    const teamIndex = new Map<string, number>();
    for (const t of top) {
      teamIndex.set(teams[t].id, t);
    }
    for (const penalty of input.penalties) {
      const t = teamIndex.get(penalty.teamId);
      if (t !== undefined && Number.isFinite(penalty.points)) {
        const at =
          penalty.at === undefined ? undefined : canonicalTime(penalty.at);
        add(t, at, -penalty.points);
      }
    }
  }

  const top10Series: ScoreSeries[] = top.map((t, i) => {
    const points: ScoreSeries['points'] = [];
    let running = offset[i];
    events[i].sort((a, b) => {
      if (a[0] === b[0]) {
        return 0;
      }
      return a[0] < b[0] ? -1 : 1;
    });
    for (const [at, delta] of events[i]) {
      running += delta;
      const previous = points[points.length - 1];
      if (previous && previous.at === at) {
        previous.score = running;
      } else {
        points.push({ at, score: running });
      }
    }
    return { teamId: teams[t].id, team: teams[t].name, points };
  });

  return {
    contestId,
    frozen,
    computedAt,
    entries: toEntries(teams, computed),
    top10Series,
  };
}
