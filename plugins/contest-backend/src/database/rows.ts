/** Row shapes of the contest tables (JSON columns still as text). */
export type ContestRow = {
  id: string;
  slug: string;
  name: string;
  starts_at: Date | string;
  ends_at: Date | string;
  freeze_at: Date | string | null;
  divisions: string;
  team_size_limit: number;
  registration: 'open' | 'closed' | 'invite';
  registration_code_hash: string | null;
  scoring_defaults: string;
  submission_rate_per_minute: number;
  max_attempts: number | null;
  flag_secret: string;
  created_at: Date | string;
  updated_at: Date | string;
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
  release_at: Date | string | null;
  synced_at: Date | string;
};

export type TeamRow = {
  id: string;
  contest_id: string;
  name: string;
  name_key: string;
  division: string | null;
  invite_code: string;
  member_count: number;
  banned: boolean | number;
  ban_reason: string | null;
  created_at: Date | string;
};

export type ContestantRow = {
  id: string;
  contest_id: string;
  username: string;
  username_key: string;
  password_hash: string;
  team_id: string | null;
  created_at: Date | string;
};

export type SolveRow = {
  id: number;
  contest_id: string;
  challenge_id: string;
  team_id: string;
  contestant_id: string;
  solved_at: Date | string;
};

/** Dates come back as Date (pg) or string/number (SQLite); normalise to ISO. */
export function toIso(
  value: Date | string | number | null | undefined,
): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === 'number') {
    return new Date(value).toISOString();
  }
  const iso = value.includes('T') ? value : `${value.replace(' ', 'T')}Z`;
  return new Date(iso).toISOString();
}

export function toBool(value: boolean | number | null | undefined): boolean {
  return value === true || value === 1;
}

/** True when the error is a unique-constraint violation on PostgreSQL or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
