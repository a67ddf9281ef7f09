import { randomBytes, randomUUID } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { toIso } from '@flagstage/backend-node';
import type { ChallengeScoring } from '@flagstage/plugin-challenge-common';
import type { ContestScoringDefaults } from '@flagstage/plugin-contest-common';
import type { ContestRow } from '../../database/rows';
import { sha256Hex } from '../flags';
import type { ContestInput, ContestView } from './types';

export function contestView(row: ContestRow): ContestView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    startsAt: toIso(row.starts_at),
    endsAt: toIso(row.ends_at),
    freezeAt: toIso(row.freeze_at),
    divisions: JSON.parse(row.divisions),
    teamSizeLimit: row.team_size_limit,
    registration: row.registration,
    submissionRatePerMinute: row.submission_rate_per_minute,
    maxAttempts: row.max_attempts,
    scoringDefaults: JSON.parse(row.scoring_defaults || '{}'),
  };
}

/**
 * The scoring a challenge is scored with in a contest: the entity's own
 * `spec.scoring`, with the contest's defaults filling the parameters it
 * leaves out (the entity always names its function).
 */
export function effectiveScoring(
  entityScoring: string | ChallengeScoring,
  contestDefaults: string | ContestScoringDefaults | null | undefined,
): ChallengeScoring {
  const own: ChallengeScoring =
    typeof entityScoring === 'string'
      ? JSON.parse(entityScoring)
      : entityScoring;
  const defaults: ContestScoringDefaults =
    typeof contestDefaults === 'string'
      ? JSON.parse(contestDefaults || '{}')
      : contestDefaults ?? {};
  const merged: ChallengeScoring = { ...own };
  for (const key of ['value', 'initial', 'minimum', 'decay'] as const) {
    if (merged[key] === undefined && defaults[key] !== undefined)
      merged[key] = defaults[key];
  }
  return merged;
}

/** An admin-given date-time; InputError naming the field when it is none. */
export function parseTime(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new InputError(`${field} is not a valid date-time`);
  return d;
}

/** The contest's times, checked against each other (input over the existing row). */
function contestTimes(input: Partial<ContestInput>, existing?: ContestRow) {
  const startsAt = input.startsAt
    ? parseTime(input.startsAt, 'startsAt')
    : existing && new Date(toIso(existing.starts_at));
  const endsAt = input.endsAt
    ? parseTime(input.endsAt, 'endsAt')
    : existing && new Date(toIso(existing.ends_at));
  const freezeRaw =
    input.freezeAt === undefined
      ? existing && toIso(existing.freeze_at)
      : input.freezeAt;
  const freezeAt = freezeRaw ? parseTime(freezeRaw, 'freezeAt') : null;
  if (!startsAt || !endsAt)
    throw new InputError('startsAt and endsAt are required');
  if (endsAt <= startsAt) throw new InputError('endsAt must be after startsAt');
  if (freezeAt && (freezeAt < startsAt || freezeAt > endsAt)) {
    throw new InputError('freezeAt must lie between startsAt and endsAt');
  }
  return {
    starts_at: startsAt.toISOString(),
    ends_at: endsAt.toISOString(),
    freeze_at: freezeAt ? freezeAt.toISOString() : null,
  };
}

/** The columns an update (or a create) writes, validated. */
export function contestColumns(
  input: Partial<ContestInput>,
  existing?: ContestRow,
): Partial<ContestRow> {
  const registration = input.registration ?? existing?.registration ?? 'open';
  const columns: Partial<ContestRow> = {
    ...contestTimes(input, existing),
    registration,
    updated_at: new Date().toISOString(),
  };
  if (input.name !== undefined) columns.name = input.name;
  if (input.divisions !== undefined)
    columns.divisions = JSON.stringify(input.divisions);
  if (input.teamSizeLimit !== undefined)
    columns.team_size_limit = input.teamSizeLimit;
  if (input.submissionRatePerMinute !== undefined)
    columns.submission_rate_per_minute = input.submissionRatePerMinute;
  if (input.maxAttempts !== undefined) columns.max_attempts = input.maxAttempts;
  if (input.scoringDefaults !== undefined)
    columns.scoring_defaults = JSON.stringify(input.scoringDefaults);
  if (input.registrationCode !== undefined) {
    columns.registration_code_hash = input.registrationCode
      ? sha256Hex(input.registrationCode)
      : null;
  }
  if (
    registration === 'invite' &&
    !(input.registrationCode ?? existing?.registration_code_hash)
  ) {
    throw new InputError('an invite-only contest needs a registrationCode');
  }
  return columns;
}

/** A new contest row with its defaults and a fresh flag secret. */
export function newContestRow(input: ContestInput): ContestRow {
  return {
    id: randomUUID(),
    slug: input.slug,
    name: input.name,
    divisions: JSON.stringify(input.divisions ?? []),
    team_size_limit: input.teamSizeLimit ?? 4,
    submission_rate_per_minute: input.submissionRatePerMinute ?? 10,
    max_attempts: input.maxAttempts ?? null,
    scoring_defaults: JSON.stringify(input.scoringDefaults ?? {}),
    registration_code_hash: null,
    flag_secret: randomBytes(32).toString('hex'),
    created_at: new Date().toISOString(),
    ...contestColumns(input),
  } as ContestRow;
}

/** Is the contest running at `now` (between its start and its end)? */
export function isRunning(contest: ContestRow, now: Date): boolean {
  return (
    now >= new Date(toIso(contest.starts_at)) &&
    now < new Date(toIso(contest.ends_at))
  );
}
