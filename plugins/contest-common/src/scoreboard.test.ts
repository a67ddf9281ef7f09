import type { ChallengeScoring } from '@flagstage/plugin-challenge-common';
import { solveScore } from './scoring';
import {
  buildScoreboard,
  rankScoreboard,
  toCtftimeFeed,
  type ScoreboardChallenge,
  type ScoreboardSolve,
  type ScoreboardTeam,
} from './scoreboard';

const compareStrings = (a: string, b: string) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

const at = (hhmm: string) => `2025-06-01T${hhmm}:00.000Z`;

const CHALLENGES: Record<string, ScoreboardChallenge> = {
  // Static 100.
  A: { scoring: { function: 'static', value: 100 } },
  // 3 counted solves → ceil(500 − 100·2) = 300.
  B: {
    scoring: {
      function: 'ctfd-linear',
      initial: 500,
      minimum: 100,
      decay: 100,
    },
  },
  // 3 counted solves → 752; with first blood: 789, 774, 759.
  G: { scoring: { function: 'gzctf', initial: 1000, minimum: 250, decay: 5 } },
  // H is hidden: the lookup returns undefined.
};
const lookup = (id: string) => CHALLENGES[id];

const TEAMS: ScoreboardTeam[] = [
  { id: 't1', name: 'Alpha', division: 'open' },
  { id: 't2', name: 'Bravo', division: 'open' },
  { id: 't3', name: 'Charlie', division: 'student' },
  { id: 't4', name: 'Delta', division: 'student' },
  { id: 't5', name: 'Echo', division: 'open', banned: true },
  { id: 't6', name: 'Foxtrot', division: 'open' },
  { id: 't7', name: 'Golf', division: 'student' },
  { id: 't8', name: 'Hotel', division: 'open' },
  { id: 't9', name: 'India', division: 'open' },
];

const SOLVES: ScoreboardSolve[] = [
  { teamId: 't1', challengeId: 'A', rank: 1, solvedAt: at('10:00') },
  { teamId: 't2', challengeId: 'A', rank: 2, solvedAt: at('10:01') },
  { teamId: 't4', challengeId: 'A', rank: 3, solvedAt: at('10:02') },
  { teamId: 't9', challengeId: 'A', rank: 4, solvedAt: at('10:02') },
  { teamId: 't8', challengeId: 'A', rank: 5, solvedAt: at('10:03') },
  { teamId: 't5', challengeId: 'A', rank: 6, solvedAt: at('10:04') },
  { teamId: 't1', challengeId: 'B', rank: 1, solvedAt: at('10:05') },
  { teamId: 't2', challengeId: 'B', rank: 2, solvedAt: at('10:06') },
  { teamId: 't3', challengeId: 'B', rank: 3, solvedAt: at('10:07') },
  // Banned team: does not lower B's value.
  { teamId: 't5', challengeId: 'B', rank: 4, solvedAt: at('10:08') },
  // Unknown team: ignored.
  { teamId: 'tx', challengeId: 'B', rank: 5, solvedAt: at('10:09') },
  { teamId: 't1', challengeId: 'G', rank: 1, solvedAt: at('10:10') },
  { teamId: 't2', challengeId: 'G', rank: 2, solvedAt: at('10:20') },
  { teamId: 't3', challengeId: 'G', rank: 3, solvedAt: at('10:30') },
  // Duplicate: ignored (the earlier solve is kept).
  { teamId: 't1', challengeId: 'A', rank: 7, solvedAt: at('11:00') },
  // Hidden challenge: ignored, also for the last solve time.
  { teamId: 't2', challengeId: 'H', rank: 1, solvedAt: at('12:00') },
];

describe('rankScoreboard', () => {
  it('ranks by score, then by earlier last solve, then by team id', () => {
    expect(rankScoreboard(TEAMS, SOLVES, lookup)).toEqual([
      {
        pos: 1,
        teamId: 't1',
        team: 'Alpha',
        division: 'open',
        score: 1189, // 100 + 300 + 789
        lastSolveAt: at('10:10'),
      },
      {
        pos: 2,
        teamId: 't2',
        team: 'Bravo',
        division: 'open',
        score: 1174, // 100 + 300 + 774
        lastSolveAt: at('10:20'),
      },
      {
        pos: 3,
        teamId: 't3',
        team: 'Charlie',
        division: 'student',
        score: 1059, // 300 + 759
        lastSolveAt: at('10:30'),
      },
      {
        pos: 4,
        teamId: 't4',
        team: 'Delta',
        division: 'student',
        score: 100,
        lastSolveAt: at('10:02'),
      },
      {
        pos: 5,
        teamId: 't9',
        team: 'India',
        division: 'open',
        score: 100,
        lastSolveAt: at('10:02'),
      },
      {
        pos: 6,
        teamId: 't8',
        team: 'Hotel',
        division: 'open',
        score: 100,
        lastSolveAt: at('10:03'),
      },
      {
        pos: 7,
        teamId: 't6',
        team: 'Foxtrot',
        division: 'open',
        score: 0,
        lastSolveAt: null,
      },
      {
        pos: 8,
        teamId: 't7',
        team: 'Golf',
        division: 'student',
        score: 0,
        lastSolveAt: null,
      },
    ]);
  });

  const brief = (entries: ReturnType<typeof rankScoreboard>) =>
    entries.map(e => [e.pos, e.teamId, e.score]);

  it('filters by division, numbering positions within it', () => {
    expect(
      brief(rankScoreboard(TEAMS, SOLVES, lookup, { division: 'student' })),
    ).toEqual([
      [1, 't3', 1059],
      [2, 't4', 100],
      [3, 't7', 0],
    ]);
    expect(
      brief(rankScoreboard(TEAMS, SOLVES, lookup, { division: 'open' })),
    ).toEqual([
      [1, 't1', 1189],
      [2, 't2', 1174],
      [3, 't9', 100],
      [4, 't8', 100],
      [5, 't6', 0],
    ]);
    expect(
      rankScoreboard(TEAMS, SOLVES, lookup, { division: 'nobody' }),
    ).toEqual([]);
  });

  it('subtracts penalties such as hint costs', () => {
    expect(
      brief(
        rankScoreboard(TEAMS, SOLVES, lookup, {
          penalties: [
            { teamId: 't1', points: 30 },
            { teamId: 't1', points: 20 },
            { teamId: 't6', points: 10 },
            { teamId: 't8', points: 0 },
            { teamId: 'tx', points: 1000 },
            { teamId: 't2', points: Number.NaN },
          ],
        }),
      ),
    ).toEqual([
      [1, 't2', 1174],
      [2, 't1', 1139],
      [3, 't3', 1059],
      [4, 't4', 100],
      [5, 't9', 100],
      [6, 't8', 100],
      [7, 't7', 0],
      [8, 't6', -10],
    ]);
  });

  it('breaks a tie on score by the earlier last solve', () => {
    const teams: ScoreboardTeam[] = [
      { id: 'late', name: 'Late', division: 'open' },
      { id: 'early', name: 'Early', division: 'open' },
      { id: 'none', name: 'None', division: 'open' },
    ];
    const solves: ScoreboardSolve[] = [
      { teamId: 'late', challengeId: 'A', rank: 2, solvedAt: at('09:30') },
      { teamId: 'early', challengeId: 'A', rank: 1, solvedAt: at('09:00') },
    ];
    // All three score 0; the team without solves ranks last.
    const zero = () => ({
      scoring: { function: 'static', value: 0 } as ChallengeScoring,
    });
    expect(brief(rankScoreboard(teams, solves, zero))).toEqual([
      [1, 'early', 0],
      [2, 'late', 0],
      [3, 'none', 0],
    ]);
  });

  it('can leave out teams without solves', () => {
    expect(
      brief(
        rankScoreboard(TEAMS, SOLVES, lookup, {
          division: 'student',
          omitTeamsWithoutSolves: true,
        }),
      ),
    ).toEqual([
      [1, 't3', 1059],
      [2, 't4', 100],
    ]);
  });

  it('uses the solve count the lookup gives', () => {
    const withCount = (id: string) =>
      id === 'B' ? { ...CHALLENGES.B, solves: 5 } : CHALLENGES[id];
    // B at 5 solves: max(ceil(500 − 100·4), 100) = 100.
    expect(brief(rankScoreboard(TEAMS, SOLVES, withCount)).slice(0, 3)).toEqual(
      [
        [1, 't1', 989],
        [2, 't2', 974],
        [3, 't3', 859],
      ],
    );
  });

  it('passes the most solves of any challenge to rctf', () => {
    const rctf: ScoreboardChallenge = {
      scoring: { function: 'rctf', initial: 500, minimum: 100 },
    };
    const teams: ScoreboardTeam[] = [
      { id: 'a', name: 'A', division: 'open' },
      { id: 'b', name: 'B', division: 'open' },
    ];
    const solves: ScoreboardSolve[] = [
      { teamId: 'a', challengeId: 'R1', rank: 1, solvedAt: at('10:00') },
      { teamId: 'b', challengeId: 'R1', rank: 2, solvedAt: at('10:01') },
      { teamId: 'b', challengeId: 'R2', rank: 1, solvedAt: at('10:02') },
    ];
    // s = 2: R1 (2 solves) → 100, R2 (1 solve) → 213.
    expect(brief(rankScoreboard(teams, solves, () => rctf))).toEqual([
      [1, 'b', 313],
      [2, 'a', 100],
    ]);
    // s = 10: R1 → 403, R2 → 458.
    expect(
      brief(rankScoreboard(teams, solves, () => rctf, { maxSolves: 10 })),
    ).toEqual([
      [1, 'b', 861],
      [2, 'a', 403],
    ]);
  });

  it('accepts Date and epoch-millisecond solve times', () => {
    const teams: ScoreboardTeam[] = [
      { id: 'a', name: 'A', division: 'open' },
      { id: 'b', name: 'B', division: 'open' },
      { id: 'c', name: 'C', division: 'open' },
    ];
    const solves: ScoreboardSolve[] = [
      {
        teamId: 'a',
        challengeId: 'A',
        rank: 1,
        solvedAt: new Date(at('10:05')),
      },
      {
        teamId: 'b',
        challengeId: 'A',
        rank: 2,
        solvedAt: Date.parse(at('10:01')),
      },
      { teamId: 'c', challengeId: 'A', rank: 3, solvedAt: 'not a time' },
    ];
    expect(
      rankScoreboard(teams, solves, lookup).map(e => [e.teamId, e.lastSolveAt]),
    ).toEqual([
      ['b', at('10:01')],
      ['a', at('10:05')],
      ['c', null],
    ]);
  });

  it('handles no teams and no solves', () => {
    expect(rankScoreboard([], [], lookup)).toEqual([]);
    expect(brief(rankScoreboard(TEAMS.slice(0, 2), [], lookup))).toEqual([
      [1, 't1', 0],
      [2, 't2', 0],
    ]);
  });

  it('derives first-blood ranks from solve times when not given', () => {
    const teams: ScoreboardTeam[] = ['a', 'b', 'c', 'd', 'e'].map(id => ({
      id,
      name: id.toUpperCase(),
      division: 'open',
      banned: id === 'e',
    }));
    // Input not in time order; the banned team's early solve does not count.
    const solves: ScoreboardSolve[] = [
      { teamId: 'd', challengeId: 'G', solvedAt: at('10:04') },
      { teamId: 'b', challengeId: 'G', solvedAt: at('10:02') },
      { teamId: 'e', challengeId: 'G', solvedAt: at('10:00') },
      { teamId: 'c', challengeId: 'G', solvedAt: at('10:03') },
      { teamId: 'a', challengeId: 'G', solvedAt: at('10:01') },
      // A later repeat by "a" changes nothing.
      { teamId: 'a', challengeId: 'G', solvedAt: at('10:05') },
    ];
    // 4 counted solves: value 661; +5 %, +3 %, +1 % → 694, 680, 667.
    expect(brief(rankScoreboard(teams, solves, lookup))).toEqual([
      [1, 'a', 694],
      [2, 'b', 680],
      [3, 'c', 667],
      [4, 'd', 661],
    ]);
    // Given ranks win over times.
    const ranked = solves.map(s => ({
      ...s,
      rank: ({ a: 4, b: 3, c: 2, d: 1, e: 9 } as Record<string, number>)[
        s.teamId
      ],
    }));
    expect(brief(rankScoreboard(teams, ranked, lookup))).toEqual([
      [1, 'd', 694],
      [2, 'c', 680],
      [3, 'b', 667],
      [4, 'a', 661],
    ]);
  });

  it('agrees with a naive implementation on random data', () => {
    const functions: ChallengeScoring[] = [
      { function: 'static', value: 50 },
      { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 15 },
      { function: 'ctfd-log', initial: 500, minimum: 100, decay: 40 },
      { function: 'rctf', initial: 500, minimum: 100 },
      { function: 'gzctf', initial: 1000, minimum: 250, decay: 5 },
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const teams: ScoreboardTeam[] = Array.from({ length: 300 }, (_, t) => ({
      id: `t${t}`,
      name: `Team ${t}`,
      division: ['open', 'student', 'pro'][t % 3],
      banned: t % 37 === 5,
    }));
    const known = (id: string) =>
      id === 'c13'
        ? undefined
        : { scoring: functions[Number(id.slice(1)) % 5] };
    const solves: ScoreboardSolve[] = Array.from({ length: 4000 }, () => ({
      teamId: random(50) === 0 ? 'ghost' : `t${random(300)}`,
      challengeId: `c${random(20)}`,
      rank: 1 + random(6),
      solvedAt: new Date(
        Date.UTC(2025, 5, 1) + random(100_000) * 1000,
      ).toISOString(),
    }));
    const penalties = Array.from({ length: 100 }, () => ({
      teamId: `t${random(300)}`,
      points: 10 * random(5),
    }));

    // Naive: first solve per (team, challenge), counts, then sums.
    const byId = new Map(teams.map(t => [t.id, t]));
    const firstSolves = new Map<string, ScoreboardSolve>();
    for (const s of solves) {
      const team = byId.get(s.teamId);
      if (!team || team.banned || !known(s.challengeId)) continue;
      const key = `${s.teamId}/${s.challengeId}`;
      const seen = firstSolves.get(key);
      if (!seen || s.solvedAt < seen.solvedAt) firstSolves.set(key, s);
    }
    const counts = new Map<string, number>();
    for (const s of firstSolves.values()) {
      counts.set(s.challengeId, (counts.get(s.challengeId) ?? 0) + 1);
    }
    const maxSolves = Math.max(...counts.values());
    const expected = teams
      .filter(t => !t.banned && t.division === 'student')
      .map(t => {
        const mine = [...firstSolves.values()].filter(s => s.teamId === t.id);
        let score = 0;
        for (const s of mine) {
          score += solveScore(
            known(s.challengeId)!.scoring,
            counts.get(s.challengeId)!,
            s.rank!,
            { maxSolves },
          );
        }
        for (const p of penalties) if (p.teamId === t.id) score -= p.points;
        const times = mine.map(s => s.solvedAt as string).sort();
        return {
          t,
          score,
          last: times.length ? times[times.length - 1] : null,
        };
      })
      .sort(
        (a, b) =>
          b.score - a.score ||
          compareStrings(a.last ?? '~', b.last ?? '~') ||
          compareStrings(a.t.id, b.t.id),
      )
      .map((e, i) => ({
        pos: i + 1,
        teamId: e.t.id,
        team: e.t.name,
        division: e.t.division,
        score: e.score,
        lastSolveAt: e.last,
      }));

    expect(
      rankScoreboard(teams, solves, known, {
        division: 'student',
        penalties,
      }),
    ).toEqual(expected);
  });

  it('ranks 10,000 teams with 200,000 solves correctly', () => {
    const functions: ChallengeScoring[] = [
      { function: 'static', value: 100 },
      { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 2 },
      { function: 'ctfd-log', initial: 500, minimum: 100, decay: 300 },
      { function: 'rctf', initial: 500, minimum: 100 },
      { function: 'gzctf', initial: 1000, minimum: 250, decay: 50 },
    ];
    const challenges = new Map<string, ScoreboardChallenge>();
    for (let c = 0; c < 200; c++) {
      challenges.set(`challenge-${c}`, { scoring: functions[c % 5] });
    }
    const teams: ScoreboardTeam[] = [];
    for (let t = 0; t < 10_000; t++) {
      teams.push({
        id: `team-${t}`,
        name: `Team ${t}`,
        division: t % 3 ? 'open' : 'student',
        banned: t % 997 === 0,
      });
    }
    // Deterministic pseudo-random solves.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const ranks = new Map<string, number>();
    const start = Date.parse(at('09:00'));
    const solves: ScoreboardSolve[] = [];
    for (let s = 0; s < 200_000; s++) {
      const challengeId = `challenge-${Math.floor(random() * 200)}`;
      const rank = (ranks.get(challengeId) ?? 0) + 1;
      ranks.set(challengeId, rank);
      solves.push({
        teamId: `team-${Math.floor(random() * 10_000)}`,
        challengeId,
        rank,
        solvedAt: new Date(start + s * 1000).toISOString(),
      });
    }

    // Correctness at contest scale; the speed is measured by bench/scoreboard, not asserted here.
    const entries = rankScoreboard(teams, solves, id => challenges.get(id));

    expect(entries).toHaveLength(10_000 - 11); // 11 banned
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i].pos).toBe(i + 1);
      expect(entries[i - 1].score).toBeGreaterThanOrEqual(entries[i].score);
    }
  });
});

describe('buildScoreboard', () => {
  const challenges = Object.entries(CHALLENGES).map(([id, c]) => ({
    id,
    ...c,
  }));

  it('returns the ranked entries and the score series of the top teams', () => {
    const penalties = [
      { teamId: 't1', points: 50, at: at('10:05') }, // same time as a solve
      { teamId: 't2', points: 20 }, // untimed: from the first point
      { teamId: 't5', points: 10, at: at('10:00') }, // banned
    ];
    const board = buildScoreboard({
      contestId: 'c1',
      computedAt: at('13:00'),
      frozen: false,
      teams: TEAMS,
      challenges,
      solves: SOLVES.map(({ rank: _rank, ...solve }) => solve),
      penalties,
    });
    expect(board.contestId).toBe('c1');
    expect(board.computedAt).toBe(at('13:00'));
    expect(board.frozen).toBe(false);
    expect(board.entries).toEqual(
      rankScoreboard(TEAMS, SOLVES, lookup, { penalties }),
    );
    expect(board.top10Series).toEqual([
      {
        teamId: 't2',
        team: 'Bravo',
        points: [
          { at: at('10:01'), score: 80 },
          { at: at('10:06'), score: 380 },
          { at: at('10:20'), score: 1154 },
        ],
      },
      {
        teamId: 't1',
        team: 'Alpha',
        points: [
          { at: at('10:00'), score: 100 },
          { at: at('10:05'), score: 350 },
          { at: at('10:10'), score: 1139 },
        ],
      },
      {
        teamId: 't3',
        team: 'Charlie',
        points: [
          { at: at('10:07'), score: 300 },
          { at: at('10:30'), score: 1059 },
        ],
      },
      {
        teamId: 't4',
        team: 'Delta',
        points: [{ at: at('10:02'), score: 100 }],
      },
      {
        teamId: 't9',
        team: 'India',
        points: [{ at: at('10:02'), score: 100 }],
      },
      {
        teamId: 't8',
        team: 'Hotel',
        points: [{ at: at('10:03'), score: 100 }],
      },
      { teamId: 't6', team: 'Foxtrot', points: [] },
      { teamId: 't7', team: 'Golf', points: [] },
    ]);
    const lastPoints = board.top10Series
      .filter(series => series.points.length)
      .map(series => [series.teamId, series.points.at(-1)!.score]);
    expect(lastPoints).toEqual(
      board.entries
        .filter(e => e.lastSolveAt)
        .map(entry => [entry.teamId, entry.score]),
    );
  });

  it('draws at most 10 series, for the best teams', () => {
    const teams: ScoreboardTeam[] = Array.from({ length: 12 }, (_, i) => ({
      id: `t${String(i).padStart(2, '0')}`,
      name: `Team ${i}`,
      division: 'open',
    }));
    const solves: ScoreboardSolve[] = teams.map((t, i) => ({
      teamId: t.id,
      challengeId: 'A',
      solvedAt: at(`10:${String(59 - i).padStart(2, '0')}`),
    }));
    const board = buildScoreboard({
      contestId: 'c',
      computedAt: at('12:00'),
      frozen: true,
      teams,
      challenges,
      solves,
    });
    expect(board.entries.map(e => e.teamId)).toEqual(
      teams.map(t => t.id).reverse(),
    );
    expect(board.top10Series.map(s => s.teamId)).toEqual(
      board.entries.slice(0, 10).map(e => e.teamId),
    );
  });
});

describe('toCtftimeFeed', () => {
  it('keeps pos, team and score', () => {
    const entries = rankScoreboard(TEAMS, SOLVES, lookup).slice(0, 3);
    expect(toCtftimeFeed(entries)).toEqual({
      standings: [
        { pos: 1, team: 'Alpha', score: 1189 },
        { pos: 2, team: 'Bravo', score: 1174 },
        { pos: 3, team: 'Charlie', score: 1059 },
      ],
    });
    expect(toCtftimeFeed([])).toEqual({ standings: [] });
  });
});
