import { challengeValue, firstBloodBonus, solveScore } from './scoring';
import type { ScoreboardEntry } from './types';
import type {
  RankScoreboardOptions,
  ScoreboardChallenge,
  ScoreboardSolve,
  ScoreboardTeam,
} from './scoreboard';
import { canonicalTime, earlier } from './scoreboardTime';

/** Marks a solve whose rank was not given. */
const RANK_UNKNOWN = -1;

/** The ranking and the counted solves, before they become entries. */
export type ComputedScoreboard = {
  /** Team indices, best first. */
  ranked: number[];
  score: Float64Array;
  last: Array<string | undefined>;
  /** Counted solves: team, time and points of each. */
  solveCount: number;
  solveTeam: Int32Array;
  solveTime: Array<string | undefined>;
  solvePoints: Float64Array;
};

/** Scores and ranks the teams (see rankScoreboard for the rules). */
export function computeScoreboard(
  teams: ReadonlyArray<ScoreboardTeam>,
  solves: ReadonlyArray<ScoreboardSolve>,
  challenge: (challengeId: string) => ScoreboardChallenge | undefined,
  options: RankScoreboardOptions,
): ComputedScoreboard {
  const teamCount = teams.length;
  const teamIndex = new Map<string, number>();
  for (let i = 0; i < teamCount; i++) {
    if (!teamIndex.has(teams[i].id)) {
      teamIndex.set(teams[i].id, i);
    }
  }

  // Pass 1: resolve teams and challenges; skip what does not count.
  const challengeIndex = new Map<string, number>();
  const challenges: ScoreboardChallenge[] = [];
  const inputCount = solves.length;
  const rawTeam = new Int32Array(inputCount);
  const rawChallenge = new Int32Array(inputCount);
  const rawRank = new Int32Array(inputCount);
  const rawTime = new Array<string | undefined>(inputCount);
  let raw = 0;
  for (const solve of solves) {
    const t = teamIndex.get(solve.teamId);
    if (t === undefined || teams[t].banned) {
      continue;
    }
    let c = challengeIndex.get(solve.challengeId);
    if (c === undefined) {
      const info = challenge(solve.challengeId);
      c = info ? challenges.length : -1;
      challengeIndex.set(solve.challengeId, c);
      if (info) {
        challenges.push(info);
      }
    }
    if (c < 0) {
      continue;
    }
    const rank = solve.rank;
    rawTeam[raw] = t;
    rawChallenge[raw] = c;
    if (rank === undefined) {
      rawRank[raw] = RANK_UNKNOWN;
    } else {
      rawRank[raw] = Number.isInteger(rank) && rank > 0 ? rank : 0;
    }
    rawTime[raw] = canonicalTime(solve.solvedAt);
    raw++;
  }

  // Pass 2: one solve per (team, challenge), the earliest; count per challenge.
  const challengeCount = challenges.length;
  const counted = new Int32Array(challengeCount);
  const solveTeam = new Int32Array(raw);
  const solveChallenge = new Int32Array(raw);
  const solveRank = new Int32Array(raw);
  const solveTime = new Array<string | undefined>(raw);
  let solveCount = 0;
  // Keys stay small integers (fast Map keys) for realistic sizes.
  const firstSolve = new Map<number, number>();
  for (let r = 0; r < raw; r++) {
    const key = rawTeam[r] * challengeCount + rawChallenge[r];
    const first = firstSolve.get(key);
    if (first !== undefined) {
      if (earlier(rawTime[r], solveTime[first])) {
        solveTime[first] = rawTime[r];
        solveRank[first] = rawRank[r];
      }
      continue;
    }
    firstSolve.set(key, solveCount);
    solveTeam[solveCount] = rawTeam[r];
    solveChallenge[solveCount] = rawChallenge[r];
    solveRank[solveCount] = rawRank[r];
    solveTime[solveCount] = rawTime[r];
    counted[rawChallenge[r]]++;
    solveCount++;
  }

  // Per-challenge points, once: the value, and the value with each bonus.
  const solveCounts = challenges.map((info, c) => {
    const n = info.solves;
    return typeof n === 'number' && Number.isFinite(n) ? n : counted[c];
  });
  const maxSolves =
    options.maxSolves ?? solveCounts.reduce((a, b) => Math.max(a, b), 0);
  const context = { maxSolves };
  const values = new Float64Array(challengeCount);
  const bonusPoints: Array<number[] | undefined> = challenges.map(
    ({ scoring }, c) => {
      values[c] = challengeValue(scoring, solveCounts[c], context);
      const withBonus: number[] = [];
      for (let rank = 1; firstBloodBonus(scoring.function, rank) > 0; rank++) {
        withBonus.push(solveScore(scoring, solveCounts[c], rank, context));
      }
      return withBonus.length ? withBonus : undefined;
    },
  );

  // Ranks not given: only the first few solves of a challenge with a bonus
  // matter, so keep those (by time, then input order) per challenge.
  const firsts = new Map<number, number[]>();
  for (let s = 0; s < solveCount; s++) {
    const c = solveChallenge[s];
    const bonus = bonusPoints[c];
    if (!bonus) {
      continue;
    }
    let top = firsts.get(c);
    if (!top) {
      top = [];
      firsts.set(c, top);
    }
    let at = top.length;
    while (at > 0 && earlier(solveTime[s], solveTime[top[at - 1]])) {
      at--;
    }
    if (at < bonus.length) {
      top.splice(at, 0, s);
      top.length = Math.min(top.length, bonus.length);
    }
  }
  for (const top of firsts.values()) {
    top.forEach((s, i) => {
      if (solveRank[s] === RANK_UNKNOWN) {
        solveRank[s] = i + 1;
      }
    });
  }

  // Pass 3: points of each solve; score and last solve time of each team.
  const score = new Float64Array(teamCount);
  const solved = new Uint8Array(teamCount);
  const last = new Array<string | undefined>(teamCount);
  const solvePoints = new Float64Array(solveCount);
  for (let s = 0; s < solveCount; s++) {
    const t = solveTeam[s];
    const c = solveChallenge[s];
    const bonus = bonusPoints[c];
    const rank = solveRank[s];
    const points =
      bonus && rank >= 1 && rank <= bonus.length ? bonus[rank - 1] : values[c];
    solvePoints[s] = points;
    score[t] += points;
    solved[t] = 1;
    const time = solveTime[s];
    if (time !== undefined && (last[t] === undefined || time > last[t]!)) {
      last[t] = time;
    }
  }
  for (const penalty of options.penalties ?? []) {
    const t = teamIndex.get(penalty.teamId);
    if (t !== undefined && Number.isFinite(penalty.points)) {
      score[t] -= penalty.points;
    }
  }

  const ranked: number[] = [];
  for (let t = 0; t < teamCount; t++) {
    const team = teams[t];
    if (
      team.banned ||
      teamIndex.get(team.id) !== t ||
      (options.division !== undefined && team.division !== options.division) ||
      (options.omitTeamsWithoutSolves && !solved[t])
    ) {
      continue;
    }
    ranked.push(t);
  }
  // Equal scores: earlier last solve first; then teams whose solve times
  // are all invalid; then teams without solves; then by id.
  const group = (t: number) => {
    if (!solved[t]) {
      return 2;
    }
    return last[t] === undefined ? 1 : 0;
  };
  ranked.sort((a, b) => {
    if (score[a] !== score[b]) {
      return score[b] - score[a];
    }
    const ga = group(a);
    const gb = group(b);
    if (ga !== gb) {
      return ga - gb;
    }
    if (ga === 0 && last[a] !== last[b]) {
      return last[a]! < last[b]! ? -1 : 1;
    }
    const ia = teams[a].id;
    const ib = teams[b].id;
    if (ia === ib) {
      return 0;
    }
    return ia < ib ? -1 : 1;
  });

  return {
    ranked,
    score,
    last,
    solveCount,
    solveTeam,
    solveTime,
    solvePoints,
  };
}

/** The board's entries, in rank order. */
export function toEntries(
  teams: ReadonlyArray<ScoreboardTeam>,
  { ranked, score, last }: ComputedScoreboard,
): ScoreboardEntry[] {
  return ranked.map((t, i) => ({
    pos: i + 1,
    teamId: teams[t].id,
    team: teams[t].name,
    division: teams[t].division,
    score: score[t],
    lastSolveAt: last[t] ?? null,
  }));
}
