import type {
  Contest,
  ContestChallenge,
  ContestRegistration,
  ContestScoringDefaults,
} from '../types';

/*
 * Request and response shapes of the staff API (`/api/contest/admin`):
 * Backstage users behind the contest permissions. Contests, challenges and
 * scoreboard entries are the common types; scoreboard pages and
 * announcements are in ./publicApi (both APIs return them).
 */

/** Scoring defaults as the API accepts them (no `function`). @public */
export type ContestScoringDefaultsInput = Omit<
  ContestScoringDefaults,
  'function'
>;

/** `POST /admin/contests`. @public */
export type ContestCreateRequest = {
  slug: string;
  name: string;
  startsAt: string;
  endsAt: string;
  freezeAt?: string | null;
  divisions?: string[];
  teamSizeLimit?: number;
  registration?: ContestRegistration;
  /** Write-only: stored hashed, never returned. */
  registrationCode?: string | null;
  submissionRatePerMinute?: number;
  maxAttempts?: number | null;
  scoringDefaults?: ContestScoringDefaultsInput;
};

/** `PATCH /admin/contests/:slug`: any field but the slug. @public */
export type ContestUpdateRequest = Partial<Omit<ContestCreateRequest, 'slug'>>;

/**
 * A challenge of a contest as `GET /admin/contests/:slug` lists it: the
 * common `ContestChallenge` without `contestId`, plus the entity's type and
 * when it was last synced from the catalog.
 *
 * @public
 */
export type AdminContestChallenge = Omit<ContestChallenge, 'contestId'> & {
  type?: string;
  syncedAt?: string | null;
};

/** `GET /admin/contests/:slug`. @public */
export type ContestDetail = {
  contest: Contest;
  challenges: AdminContestChallenge[];
};

/** `POST /admin/contests/:slug/challenges`. @public */
export type AttachChallengeRequest = {
  entityRef: string;
  hidden?: boolean;
  releaseAt?: string | null;
};

/** `PATCH /admin/contests/:slug/challenges/:name`: publish, hide, schedule. @public */
export type ChallengeVisibility = {
  hidden?: boolean;
  releaseAt?: string | null;
};

/** Answer of attach and visibility changes. @public */
export type ChallengeVisibilityResult = {
  name: string;
  entityRef?: string;
  hidden: boolean;
  releaseAt: string | null;
};

/** A team as `GET /admin/contests/:slug/teams` lists it. @public */
export type AdminTeam = {
  id: string;
  name: string;
  division: string | null;
  members: number;
  banned: boolean;
  banReason: string | null;
};

/** `POST /admin/contests/:slug/teams/:teamId/ban`. @public */
export type TeamBanRequest = { banned: boolean; reason?: string };

/** Answer of a ban or unban. @public */
export type TeamBanResult = Omit<AdminTeam, 'division' | 'members'>;

/** Outcome of a flag submission. @public */
export type SubmissionOutcome = 'correct' | 'incorrect' | 'already_solved';

/** One submission of the live feed (newest first). @public */
export type AdminSubmission = {
  id: number;
  team: string;
  challenge: string;
  contestantId: string;
  outcome: SubmissionOutcome;
  at: string;
};

/** A shared-flag incident: a team submitted another team's dynamic flag. @public */
export type FlagIncident = {
  id: number;
  submittingTeam: string;
  ownerTeam: string;
  challenge: string;
  contestantId: string;
  at: string;
};

/** The admins' live board, or what contestants see (frozen after `freezeAt`). @public */
export type ScoreboardView = 'live' | 'public';

/** Solves, attempts and first blood of one catalog challenge in one contest. @public */
export type ChallengeContestStats = {
  /** The contest's slug. */
  contest: string;
  hidden: boolean;
  solves: number;
  attempts: number;
  firstBlood: { team: string; at: string | null } | null;
};
