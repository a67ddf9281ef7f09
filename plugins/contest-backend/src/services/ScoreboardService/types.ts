import type {
  Scoreboard,
  ScoreboardPage,
} from '@flagstage/plugin-contest-common';

export type { ScoreboardPage };

/** Current value and counted solves of each challenge, by challenge id. */
export type ChallengeValues = Map<string, { value: number; solves: number }>;

/** What a computation produced (also written to the cache). */
export type ComputedViews = {
  live: Scoreboard;
  public: Scoreboard;
  values: ChallengeValues;
  /** The values contestants see (from pre-freeze solves once frozen). */
  publicValues: ChallengeValues;
};

/** Which page of which board: `live` is the admins' view, else the public one (teams with members and solves; frozen after the freeze). */
export type BoardQuery = { live: boolean; division?: string; page?: number };

/** Scoreboards computed off the request path and read from the cache service. */
export interface ScoreboardService {
  /** Schedules a recompute soon; many changes in a burst cost one recompute. */
  requestRecompute(contestId: string): void;
  /** Recomputes every contest that has not ended more than a day ago. */
  recomputeActive(now?: Date): Promise<void>;
  /** Computes and stores the boards now (one computation per contest at a time). */
  recompute(contestId: string, now?: Date): Promise<ComputedViews>;
  /** Forgets the in-process solves (e.g. after solves were removed). */
  forgetSolves(contestId: string): void;
  /** One page of a board as JSON text, ready to send; undefined for no such page or division. */
  readText(contestId: string, query: BoardQuery): Promise<string | undefined>;
  /** The same page, parsed (an empty page when there is none). */
  read(contestId: string, query: BoardQuery): Promise<ScoreboardPage>;
  /** The CTFtime feed of the public board as JSON text. */
  ctftimeText(contestId: string): Promise<string>;
  ctftime(contestId: string): Promise<{ standings: unknown[] }>;
  /**
   * Current value and solve count of each challenge, from the last
   * computation: `live` (default, admins and scoring) or `public` (what
   * contestants see: pre-freeze solves only once frozen).
   */
  challengeValues(
    contestId: string,
    view?: 'live' | 'public',
  ): Promise<ChallengeValues>;
  /** Cancels pending recomputes (shutdown). */
  stop(): void;
}
