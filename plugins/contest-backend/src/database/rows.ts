import type { DbTimestamp } from '@flagstage/backend-node';

/** Row shapes of the contest tables (JSON columns still as text). */
export type ContestRow = {
  id: string;
  slug: string;
  name: string;
  starts_at: DbTimestamp;
  ends_at: DbTimestamp;
  freeze_at: DbTimestamp | null;
  divisions: string;
  team_size_limit: number;
  registration: 'open' | 'closed' | 'invite';
  registration_code_hash: string | null;
  scoring_defaults: string;
  submission_rate_per_minute: number;
  max_attempts: number | null;
  flag_secret: string;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
};

export type ContestChallengeRow = {
  id: string;
  contest_id: string;
  entity_ref: string;
  name: string;
  title: string;
  description: string;
  category: string;
  difficulty: string;
  type: string;
  scoring: string;
  flags: string;
  hints: string;
  requires: string;
  attachments: string;
  runtime: string | null;
  hidden: boolean | number;
  release_at: DbTimestamp | null;
  synced_at: DbTimestamp;
};

export type TeamRow = {
  id: string;
  contest_id: string;
  name: string;
  name_key: string;
  /** TR39 confusable skeleton (services/names.ts), unique per contest. */
  name_skeleton?: string | null;
  division: string | null;
  invite_code: string;
  member_count: number;
  banned: boolean | number;
  ban_reason: string | null;
  created_at: DbTimestamp;
};

export type ContestantRow = {
  id: string;
  contest_id: string;
  username: string;
  username_key: string;
  password_hash: string;
  team_id: string | null;
  /** TR39 confusable skeleton (services/names.ts), unique per contest. */
  username_skeleton?: string | null;
  /** Teams this contestant created (capped). */
  teams_created?: number;
  /** Member of a team when it was banned: may not create or join teams. */
  banned?: boolean | number;
  created_at: DbTimestamp;
};

export type SolveRow = {
  id: number;
  contest_id: string;
  challenge_id: string;
  team_id: string;
  contestant_id: string;
  solved_at: DbTimestamp;
};

export type SubmissionRow = {
  id: number;
  contest_id: string;
  challenge_id: string;
  team_id: string;
  contestant_id: string;
  /** SHA-256 of the submitted text: the flag itself is never stored. */
  submission_hash: string;
  outcome: 'correct' | 'incorrect' | 'already_solved';
  created_at: DbTimestamp;
};

export type FlagIncidentRow = {
  id: number;
  contest_id: string;
  challenge_id: string;
  submitting_team_id: string;
  owner_team_id: string;
  contestant_id: string;
  created_at: DbTimestamp;
};

export type HintUnlockRow = {
  team_id: string;
  challenge_id: string;
  hint_index: number;
  cost: number;
  unlocked_at: DbTimestamp;
};

export type AnnouncementRow = {
  id: number;
  contest_id: string;
  title: string;
  body: string;
  created_at: DbTimestamp;
};

/** A row to insert: the database assigns `id`. */
export type NewRow<T extends { id: number }> = Omit<T, 'id'>;
