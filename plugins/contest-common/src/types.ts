import type {
  ChallengeScoring,
  ChallengeSpec,
} from '@flagstage/plugin-challenge-common';

/**
 * Scoring a contest applies to challenges whose entity leaves parts of
 * `spec.scoring` out.
 *
 * @public
 */
export type ContestScoringDefaults = Partial<ChallengeScoring>;

/** Who may register a team. @public */
export type ContestRegistration = 'open' | 'closed' | 'invite';

/**
 * A contest, as the contest API returns it. Times are ISO 8601 strings.
 *
 * @public
 */
export type Contest = {
  id: string;
  /** URL-safe name, unique. */
  slug: string;
  name: string;
  startsAt: string;
  endsAt: string;
  /** When the public scoreboard stops updating; null: never. */
  freezeAt: string | null;
  /** Division names teams choose from, e.g. `['open', 'student']`. */
  divisions: string[];
  /** Most members a team may have. */
  teamSizeLimit: number;
  registration: ContestRegistration;
  /** Submissions a team may make per challenge per minute. */
  submissionRatePerMinute: number;
  /** Attempts a team has per challenge over the contest; null: unlimited. */
  maxAttempts: number | null;
  /** Scoring parameters filling what a challenge's `spec.scoring` leaves out. */
  scoringDefaults: ContestScoringDefaults;
};

/**
 * A challenge as it appears in a contest. Times are ISO 8601 strings.
 *
 * @public
 */
export type ContestChallenge = {
  contestId: string;
  /** Entity ref of the Challenge entity, e.g. `challenge:default/web-cookie-jar`. */
  entityRef: string;
  /** `metadata.name` of the entity. */
  name: string;
  /** Display title (`metadata.title`, else the name). */
  title: string;
  category: string;
  difficulty: ChallengeSpec['difficulty'];
  scoring: ChallengeScoring;
  hidden: boolean;
  /** Not shown to contestants before this time; null: with the contest. */
  releaseAt: string | null;
  /** Current point value (see `challengeValue`). */
  value: number;
  /** Solves counted for scoring. */
  solves: number;
};

/** One row of a scoreboard. @public */
export type ScoreboardEntry = {
  /** 1-based position. */
  pos: number;
  teamId: string;
  /** Team name. */
  team: string;
  division: string;
  score: number;
  /** ISO time of the team's last counted solve; null: none. */
  lastSolveAt: string | null;
};

/** One point of a team's score over time. @public */
export type ScoreSeriesPoint = { at: string; score: number };

/** A team's score over time, for the scoreboard graph. @public */
export type ScoreSeries = {
  teamId: string;
  team: string;
  points: ScoreSeriesPoint[];
};

/**
 * A scoreboard as the contest API returns it.
 *
 * @public
 */
export type Scoreboard = {
  contestId: string;
  /** True when the board shows the standings at `freezeAt`. */
  frozen: boolean;
  /** ISO time the board was computed. */
  computedAt: string;
  entries: ScoreboardEntry[];
  /** Score over time of the top 10 teams. */
  top10Series: ScoreSeries[];
};

/** One row of the CTFtime scoreboard feed. @public */
export type CtftimeStanding = { pos: number; team: string; score: number };

/**
 * The CTFtime scoreboard feed (`{"standings": [...]}`).
 *
 * @public
 */
export type CtftimeFeed = { standings: CtftimeStanding[] };
