import {
  buildScoreboard,
  challengeValue,
  type BuildScoreboardInput,
  type Scoreboard,
  type ScoreboardSolve,
} from '@flagstage/plugin-contest-common';
import type { ChallengeScoring } from '@flagstage/plugin-challenge-common';
import type { ChallengeValues, ScoreboardPage } from './types';

/** Entries per stored page (what one read returns). */
export const SCOREBOARD_PAGE_SIZE = 100;

/** What a scoreboard is computed from. */
export type BoardInput = {
  /** A team without a division has `null` (kept as such in the entries). */
  teams: {
    id: string;
    name: string;
    division: string | null;
    banned: boolean;
    /** Absent: counted as having members. */
    memberCount?: number;
  }[];
  challenges: { id: string; scoring: ChallengeScoring }[];
  solves: ScoreboardSolve[];
  penalties: { teamId: string; points: number; at: string }[];
};

/**
 * The teams the public board and feed show: those with members and at least
 * one of the given solves (empty and abandoned teams stay off the board).
 */
function shownTeams(input: BoardInput, solves: ScoreboardSolve[]) {
  const solved = new Set(solves.map(s => s.teamId));
  return input.teams.filter(t => (t.memberCount ?? 1) > 0 && solved.has(t.id));
}

/** The solves and penalties contestants may see: all before the freeze, those before `freezeAt` after it. */
export function publicInput(
  input: BoardInput,
  computedAt: string,
  freezeAt: string | null,
): { input: BoardInput; frozen: boolean } {
  const frozen = freezeAt !== null && computedAt >= freezeAt;
  const solves = frozen
    ? input.solves.filter(s => s.solvedAt < freezeAt)
    : input.solves;
  const penalties = frozen
    ? input.penalties.filter(p => p.at < freezeAt)
    : input.penalties;
  return {
    input: { ...input, solves, penalties, teams: shownTeams(input, solves) },
    frozen,
  };
}

/**
 * The live board (admins), and the public one: only teams with members and
 * solves, and after `freezeAt` built from the solves before it (every figure
 * on it: scores, ranks, first bloods, the top-10 series).
 */
export function buildBoards(
  input: BoardInput,
  contestId: string,
  computedAt: string,
  freezeAt: string | null,
): { live: Scoreboard; public: Scoreboard } {
  const build = (from: BoardInput, frozen: boolean) =>
    buildScoreboard({
      // Teams without a division keep `null` in their entries (as the API always sent it).
      ...(from as Omit<
        BuildScoreboardInput,
        'contestId' | 'computedAt' | 'frozen'
      >),
      contestId,
      computedAt,
      frozen,
    });
  const visible = publicInput(input, computedAt, freezeAt);
  return {
    live: build(input, false),
    public: build(visible.input, visible.frozen),
  };
}

/** Current value and counted solves of each challenge (banned teams' solves do not count). */
export function challengeValues(input: BoardInput): ChallengeValues {
  // Solves are unique per (team, challenge) in the database: count, skipping banned teams.
  const banned = new Set(input.teams.filter(t => t.banned).map(t => t.id));
  const counts = new Map<string, number>();
  for (const s of input.solves) {
    if (banned.size > 0 && banned.has(s.teamId)) continue;
    counts.set(s.challengeId, (counts.get(s.challengeId) ?? 0) + 1);
  }
  const maxSolves = Math.max(1, ...counts.values());
  return new Map(
    input.challenges.map(c => {
      const solves = counts.get(c.id) ?? 0;
      return [
        c.id,
        { value: challengeValue(c.scoring, solves, { maxSolves }), solves },
      ];
    }),
  );
}

/**
 * A board split into stored pages: all entries (division '') and each
 * division's entries re-ranked from 1. `total` is the entry count per division.
 */
export function boardPages(board: Scoreboard): {
  pages: { division: string; page: number; payload: ScoreboardPage }[];
  totals: Record<string, number>;
} {
  const divisions = new Map<string, Scoreboard['entries']>([
    ['', board.entries],
  ]);
  for (const e of board.entries) {
    if (!e.division) continue;
    const list = divisions.get(e.division) ?? [];
    list.push({ ...e, pos: list.length + 1 });
    divisions.set(e.division, list);
  }
  const pages = [];
  const totals: Record<string, number> = {};
  for (const [division, entries] of divisions) {
    totals[division] = entries.length;
    const count = Math.max(1, Math.ceil(entries.length / SCOREBOARD_PAGE_SIZE));
    for (let page = 1; page <= count; page++) {
      pages.push({
        division,
        page,
        payload: {
          contestId: board.contestId,
          frozen: board.frozen,
          computedAt: board.computedAt,
          division: division || null,
          page,
          pageSize: SCOREBOARD_PAGE_SIZE,
          pages: count,
          total: entries.length,
          entries: entries.slice(
            (page - 1) * SCOREBOARD_PAGE_SIZE,
            page * SCOREBOARD_PAGE_SIZE,
          ),
          top10Series: page === 1 ? board.top10Series : [],
        },
      });
    }
  }
  return { pages, totals };
}

/** A page that does not exist (yet): what `read` returns instead of nothing. */
export function emptyPage(
  contestId: string,
  division: string | undefined,
  page: number | undefined,
): ScoreboardPage {
  return {
    contestId,
    frozen: false,
    computedAt: new Date().toISOString(),
    division: division ?? null,
    page: page ?? 1,
    pageSize: SCOREBOARD_PAGE_SIZE,
    pages: 0,
    total: 0,
    entries: [],
    top10Series: [],
  };
}
