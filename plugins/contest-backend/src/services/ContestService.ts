import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  isChallengeEntity,
  validateChallengeEntity,
  type ChallengeFlag,
  type ChallengeHint,
  type ChallengeScoring,
} from '@flagstage/plugin-challenge-common';
import type {
  Contest,
  ContestScoringDefaults,
} from '@flagstage/plugin-contest-common';
import {
  checkFlag,
  dynamicFlag,
  looksLikeDynamicFlag,
  sha256Hex,
} from './flags';
import { hashPassword, verifyPassword } from './passwords';
import {
  isUniqueViolation,
  toBool,
  toIso,
  type ContestChallengeRow,
  type ContestRow,
  type ContestantRow,
  type TeamRow,
} from '../database/rows';

/** A dummy hash so that logging in as an unknown user costs as much as a wrong password. */
const DUMMY_HASH_PROMISE = hashPassword(randomBytes(16).toString('hex'));

/** How long the submission path trusts its copy of a contest's challenges. */
const CHALLENGE_CACHE_MS = 2000;

/** The submission_windows row that counts a team's attempts on a challenge over the whole contest. */
const TOTAL_ATTEMPTS_WINDOW = -1;

/** 429 for submissions over the per-team, per-challenge rate. */
export class TooManySubmissionsError extends Error {
  name = 'TooManySubmissionsError';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many submissions for this challenge; wait a minute');
  }
}

export type ContestInput = {
  slug: string;
  name: string;
  startsAt: string;
  endsAt: string;
  freezeAt?: string | null;
  divisions?: string[];
  teamSizeLimit?: number;
  registration?: 'open' | 'closed' | 'invite';
  registrationCode?: string | null;
  submissionRatePerMinute?: number;
  maxAttempts?: number | null;
  scoringDefaults?: ContestScoringDefaults;
};

/** What admins see of a contest: everything but secrets (the shared `Contest` type). */
export type ContestView = Contest;

export type SubmitResult =
  | { outcome: 'correct' }
  | { outcome: 'incorrect' }
  | { outcome: 'already_solved' };

/** Loads an entity from the catalog (the catalog service, with the caller's or the plugin's credentials). */
export type EntityLoader = (entityRef: string) => Promise<Entity | undefined>;

/** Called after a solve so the scoreboard can be recomputed off the request path. */
export type SolveListener = (contestId: string) => void;

export function contestView(row: ContestRow): ContestView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    startsAt: toIso(row.starts_at)!,
    endsAt: toIso(row.ends_at)!,
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

function parseTime(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new InputError(`${field} is not a valid date-time`);
  return d;
}

const submissionsTotal = flagstageMetrics.submissions;

/** A refused submission that counts as `closed` (contest window, attempts used up). */
function closedForSubmissions(message: string) {
  return Object.assign(new NotAllowedError(message), {
    submissionClosed: true,
  });
}
const solvesTotal = flagstageMetrics.solves;

/**
 * Contests, contestants, teams, challenges and submissions. Every state change
 * that can race is a guarded UPDATE or an INSERT under a unique constraint.
 */
export class ContestService {
  constructor(
    private readonly db: Knex,
    private readonly logger: LoggerService,
    private readonly onSolve: SolveListener = () => {},
  ) {}

  // ---------------------------------------------------------------- contests

  async listContests(): Promise<ContestView[]> {
    const rows: ContestRow[] = await this.db('contests').orderBy(
      'starts_at',
      'desc',
    );
    return rows.map(contestView);
  }

  async contestRow(slug: string): Promise<ContestRow> {
    const row = await this.db<ContestRow>('contests').where({ slug }).first();
    if (!row) throw new NotFoundError(`No contest "${slug}"`);
    return row;
  }

  async contestById(id: string): Promise<ContestRow> {
    const row = await this.db<ContestRow>('contests').where({ id }).first();
    if (!row) throw new NotFoundError(`No contest with id ${id}`);
    return row;
  }

  private contestColumns(input: Partial<ContestInput>, existing?: ContestRow) {
    const startsAt = input.startsAt
      ? parseTime(input.startsAt, 'startsAt')
      : existing && new Date(toIso(existing.starts_at)!);
    const endsAt = input.endsAt
      ? parseTime(input.endsAt, 'endsAt')
      : existing && new Date(toIso(existing.ends_at)!);
    const freezeRaw =
      input.freezeAt === undefined
        ? existing && toIso(existing.freeze_at)
        : input.freezeAt;
    const freezeAt = freezeRaw ? parseTime(freezeRaw, 'freezeAt') : null;
    if (!startsAt || !endsAt)
      throw new InputError('startsAt and endsAt are required');
    if (endsAt <= startsAt)
      throw new InputError('endsAt must be after startsAt');
    if (freezeAt && (freezeAt < startsAt || freezeAt > endsAt)) {
      throw new InputError('freezeAt must lie between startsAt and endsAt');
    }
    const registration = input.registration ?? existing?.registration ?? 'open';
    const columns: Record<string, unknown> = {
      starts_at: startsAt.toISOString(),
      ends_at: endsAt.toISOString(),
      freeze_at: freezeAt ? freezeAt.toISOString() : null,
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
    if (input.maxAttempts !== undefined)
      columns.max_attempts = input.maxAttempts;
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

  async createContest(input: ContestInput): Promise<ContestView> {
    const row = {
      id: randomUUID(),
      slug: input.slug,
      name: input.name,
      divisions: JSON.stringify(input.divisions ?? []),
      team_size_limit: input.teamSizeLimit ?? 4,
      submission_rate_per_minute: input.submissionRatePerMinute ?? 10,
      max_attempts: input.maxAttempts ?? null,
      scoring_defaults: JSON.stringify(input.scoringDefaults ?? {}),
      flag_secret: randomBytes(32).toString('hex'),
      created_at: new Date().toISOString(),
      ...this.contestColumns(input),
    };
    try {
      await this.db('contests').insert(row);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError(`A contest with slug "${input.slug}" exists`);
      throw e;
    }
    return contestView(await this.contestRow(input.slug));
  }

  async updateContest(
    slug: string,
    input: Partial<ContestInput>,
  ): Promise<ContestView> {
    const existing = await this.contestRow(slug);
    await this.db('contests')
      .where({ id: existing.id })
      .update(this.contestColumns(input, existing));
    return contestView(await this.contestRow(slug));
  }

  /** Deletes a contest and everything in it (teams, contestants, solves). */
  async deleteContest(slug: string): Promise<void> {
    const contest = await this.contestRow(slug);
    await this.db.transaction(async tx => {
      // Explicit order: SQLite only cascades with foreign keys enabled.
      const challengeIds = tx('contest_challenges')
        .where({ contest_id: contest.id })
        .select('id');
      const teamIds = tx('teams')
        .where({ contest_id: contest.id })
        .select('id');
      const contestantIds = tx('contestants')
        .where({ contest_id: contest.id })
        .select('id');
      await tx('submission_windows').whereIn('team_id', teamIds).delete();
      await tx('hint_unlocks').whereIn('challenge_id', challengeIds).delete();
      for (const table of [
        'flag_incidents',
        'solves',
        'submissions',
        'announcements',
      ]) {
        await tx(table).where({ contest_id: contest.id }).delete();
      }
      await tx('contestant_sessions')
        .whereIn('contestant_id', contestantIds)
        .delete();
      await tx('contestants').where({ contest_id: contest.id }).delete();
      await tx('teams').where({ contest_id: contest.id }).delete();
      await tx('contest_challenges').where({ contest_id: contest.id }).delete();
      await tx('contests').where({ id: contest.id }).delete();
    });
    this.forgetChallenges(contest.id);
  }

  // -------------------------------------------------------------- challenges

  /** Removes a challenge from a contest; refused once a team solved it (hide it instead). */
  async detachChallenge(slug: string, name: string): Promise<void> {
    const contest = await this.contestRow(slug);
    const challenge = await this.challengeByName(contest.id, name);
    await this.db.transaction(async tx => {
      const solves = await tx('solves')
        .where({ challenge_id: challenge.id })
        .count({ n: '*' });
      if (Number(solves[0].n) > 0) {
        throw new ConflictError(
          `"${name}" has solves; hide it instead of removing it`,
        );
      }
      await tx('submission_windows')
        .where({ challenge_id: challenge.id })
        .delete();
      await tx('hint_unlocks').where({ challenge_id: challenge.id }).delete();
      await tx('flag_incidents').where({ challenge_id: challenge.id }).delete();
      await tx('submissions').where({ challenge_id: challenge.id }).delete();
      await tx('contest_challenges').where({ id: challenge.id }).delete();
    });
    this.forgetChallenges(contest.id);
  }

  /** Attaches (or re-syncs) a Challenge entity; solves survive re-syncs. */
  async attachChallenge(
    slug: string,
    entity: Entity,
    options: { hidden?: boolean; releaseAt?: string | null } = {},
  ): Promise<ContestChallengeRow> {
    const contest = await this.contestRow(slug);
    if (!isChallengeEntity(entity)) {
      throw new InputError(
        `${stringifyEntityRef(entity)} is not a Challenge entity`,
      );
    }
    const problems = validateChallengeEntity(entity);
    if (problems.length > 0) {
      throw new InputError(
        `${stringifyEntityRef(entity)} is invalid: ${problems
          .map(p => `${p.path}: ${p.message}`)
          .join('; ')}`,
      );
    }
    const entityRef = stringifyEntityRef(entity);
    const synced = {
      name: entity.metadata.name,
      title: entity.metadata.title ?? entity.metadata.name,
      description: entity.metadata.description ?? '',
      category: entity.spec.category,
      difficulty: entity.spec.difficulty,
      type: entity.spec.type,
      scoring: JSON.stringify(entity.spec.scoring),
      flags: JSON.stringify(entity.spec.flags),
      hints: JSON.stringify(entity.spec.hints ?? []),
      requires: JSON.stringify(
        (entity.spec.requires ?? []).map(r =>
          stringifyEntityRef(
            parseEntityRef(r, {
              defaultKind: 'challenge',
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          ),
        ),
      ),
      attachments: JSON.stringify(entity.spec.attachments ?? []),
      runtime: entity.spec.runtime ? JSON.stringify(entity.spec.runtime) : null,
      synced_at: new Date().toISOString(),
    };
    const visibility: Record<string, unknown> = {};
    if (options.hidden !== undefined) visibility.hidden = options.hidden;
    if (options.releaseAt !== undefined) {
      visibility.release_at = options.releaseAt
        ? parseTime(options.releaseAt, 'releaseAt').toISOString()
        : null;
    }
    await this.db('contest_challenges')
      .insert({
        id: randomUUID(),
        contest_id: contest.id,
        entity_ref: entityRef,
        hidden: true,
        release_at: null,
        ...synced,
        ...visibility,
      })
      .onConflict(['contest_id', 'entity_ref'])
      .merge({ ...synced, ...visibility });
    this.forgetChallenges(contest.id);
    return (await this.db<ContestChallengeRow>('contest_challenges')
      .where({ contest_id: contest.id, entity_ref: entityRef })
      .first())!;
  }

  /** Re-reads every attached challenge from the catalog. Missing entities are hidden. */
  async resyncChallenges(
    load: EntityLoader,
  ): Promise<{ updated: number; missing: number }> {
    const rows: ContestChallengeRow[] = await this.db('contest_challenges');
    let updated = 0;
    let missing = 0;
    const slugs = new Map<string, string>();
    for (const row of rows) {
      let slug = slugs.get(row.contest_id);
      if (!slug) {
        slug = (await this.contestById(row.contest_id)).slug;
        slugs.set(row.contest_id, slug);
      }
      const entity = await load(row.entity_ref);
      if (
        !entity ||
        !isChallengeEntity(entity) ||
        validateChallengeEntity(entity).length > 0
      ) {
        missing += 1;
        continue;
      }
      await this.attachChallenge(slug, entity);
      updated += 1;
    }
    return { updated, missing };
  }

  /**
   * A contest's challenges by name from a short-lived in-process cache (the
   * submission path reads them on every request). Changes made here clear it;
   * other replicas see changes within CHALLENGE_CACHE_MS.
   */
  private readonly challengeCache = new Map<
    string,
    { at: number; byName: Map<string, ContestChallengeRow> }
  >();

  async cachedChallenge(
    contestId: string,
    name: string,
  ): Promise<ContestChallengeRow> {
    const cached = this.challengeCache.get(contestId);
    if (cached && Date.now() - cached.at < CHALLENGE_CACHE_MS) {
      const row = cached.byName.get(name);
      if (row) return row;
    }
    const rows = await this.listChallengeRows(contestId);
    const byName = new Map(rows.map(r => [r.name, r]));
    this.challengeCache.set(contestId, { at: Date.now(), byName });
    const row = byName.get(name);
    if (!row) throw new NotFoundError(`No challenge "${name}" in this contest`);
    return row;
  }

  private forgetChallenges(contestId: string) {
    this.challengeCache.delete(contestId);
  }

  async listChallengeRows(contestId: string): Promise<ContestChallengeRow[]> {
    return this.db('contest_challenges')
      .where({ contest_id: contestId })
      .orderBy('name');
  }

  async challengeByName(
    contestId: string,
    name: string,
  ): Promise<ContestChallengeRow> {
    const row = await this.db<ContestChallengeRow>('contest_challenges')
      .where({ contest_id: contestId, name })
      .first();
    if (!row) throw new NotFoundError(`No challenge "${name}" in this contest`);
    return row;
  }

  async challengeByRef(
    contestId: string,
    entityRef: string,
  ): Promise<ContestChallengeRow> {
    const row = await this.db<ContestChallengeRow>('contest_challenges')
      .where({ contest_id: contestId, entity_ref: entityRef })
      .first();
    if (!row)
      throw new NotFoundError(`No challenge ${entityRef} in this contest`);
    return row;
  }

  // ------------------------------------------------------------- contestants

  async register(
    slug: string,
    input: { username: string; password: string; registrationCode?: string },
  ): Promise<ContestantRow> {
    const contest = await this.contestRow(slug);
    if (contest.registration === 'closed')
      throw new NotAllowedError('Registration is closed');
    if (contest.registration === 'invite') {
      const given = input.registrationCode
        ? sha256Hex(input.registrationCode)
        : '';
      if (
        !contest.registration_code_hash ||
        !safeEqualHex(given, contest.registration_code_hash)
      ) {
        throw new NotAllowedError(
          'This contest needs a valid registration code',
        );
      }
    }
    const row: ContestantRow = {
      id: randomUUID(),
      contest_id: contest.id,
      username: input.username,
      username_key: input.username.toLocaleLowerCase('en-US'),
      password_hash: await hashPassword(input.password),
      team_id: null,
      created_at: new Date().toISOString(),
    };
    try {
      await this.db('contestants').insert(row);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError('That username is taken');
      throw e;
    }
    return row;
  }

  /** Returns the contestant for correct credentials; the same error for an unknown user or a wrong password. */
  async authenticate(
    slug: string,
    username: string,
    password: string,
  ): Promise<ContestantRow> {
    const contest = await this.contestRow(slug);
    const row = await this.db<ContestantRow>('contestants')
      .where({
        contest_id: contest.id,
        username_key: username.toLocaleLowerCase('en-US'),
      })
      .first();
    const ok = await verifyPassword(
      password,
      row?.password_hash ?? (await DUMMY_HASH_PROMISE),
    );
    if (!row || !ok) throw new NotAllowedError('Wrong username or password');
    return row;
  }

  async contestant(id: string): Promise<ContestantRow> {
    const row = await this.db<ContestantRow>('contestants')
      .where({ id })
      .first();
    if (!row) throw new NotFoundError('No such contestant');
    return row;
  }

  // ------------------------------------------------------------------ teams

  async team(id: string): Promise<TeamRow> {
    const row = await this.db<TeamRow>('teams').where({ id }).first();
    if (!row) throw new NotFoundError('No such team');
    return row;
  }

  async createTeam(
    contestantId: string,
    input: { name: string; division?: string },
  ): Promise<TeamRow> {
    const me = await this.contestant(contestantId);
    if (me.team_id)
      throw new ConflictError('You are already in a team; leave it first');
    const contest = await this.contestById(me.contest_id);
    const divisions: string[] = JSON.parse(contest.divisions);
    if (input.division !== undefined && !divisions.includes(input.division)) {
      throw new InputError(
        `Unknown division; choose one of: ${divisions.join(', ') || '(none)'}`,
      );
    }
    const team: TeamRow = {
      id: randomUUID(),
      contest_id: contest.id,
      name: input.name,
      name_key: input.name.toLocaleLowerCase('en-US'),
      division: input.division ?? divisions[0] ?? null,
      invite_code: randomBytes(12).toString('base64url'),
      member_count: 0,
      banned: false,
      ban_reason: null,
      created_at: new Date().toISOString(),
    };
    try {
      await this.db('teams').insert(team);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError('That team name is taken');
      throw e;
    }
    await this.joinTeamById(contestantId, team.id, contest.team_size_limit);
    return this.team(team.id);
  }

  async joinTeam(contestantId: string, inviteCode: string): Promise<TeamRow> {
    const me = await this.contestant(contestantId);
    const team = await this.db<TeamRow>('teams')
      .where({ invite_code: inviteCode, contest_id: me.contest_id })
      .first();
    if (!team) throw new NotFoundError('No team with that invite code');
    if (toBool(team.banned)) throw new NotAllowedError('That team is banned');
    const contest = await this.contestById(me.contest_id);
    await this.joinTeamById(contestantId, team.id, contest.team_size_limit);
    return this.team(team.id);
  }

  /**
   * Joins in one transaction: a guarded UPDATE takes a seat only while
   * member_count < limit, and the contestant row is claimed only while it has
   * no team. Concurrent joins at the limit lose with a ConflictError.
   */
  private async joinTeamById(
    contestantId: string,
    teamId: string,
    limit: number,
  ) {
    await this.db.transaction(async tx => {
      const seat = await tx('teams')
        .where({ id: teamId })
        .andWhere('member_count', '<', limit)
        .increment('member_count', 1);
      if (seat === 0) throw new ConflictError('That team is full');
      const claimed = await tx('contestants')
        .where({ id: contestantId })
        .whereNull('team_id')
        .update({ team_id: teamId });
      if (claimed === 0)
        throw new ConflictError('You are already in a team; leave it first');
    });
  }

  async leaveTeam(contestantId: string): Promise<void> {
    await this.db.transaction(async tx => {
      const me = await tx<ContestantRow>('contestants')
        .where({ id: contestantId })
        .first();
      if (!me?.team_id) throw new ConflictError('You are not in a team');
      const solves = await tx('solves')
        .where({ team_id: me.team_id })
        .count({ n: '*' });
      if (Number(solves[0].n) > 0) {
        throw new ConflictError(
          'Your team has solves; members cannot leave it any more',
        );
      }
      const left = await tx('contestants')
        .where({ id: contestantId, team_id: me.team_id })
        .update({ team_id: null });
      if (left === 1)
        await tx('teams')
          .where({ id: me.team_id })
          .decrement('member_count', 1);
    });
  }

  async setBanned(
    contestId: string,
    teamId: string,
    banned: boolean,
    reason?: string,
  ): Promise<TeamRow> {
    const updated = await this.db('teams')
      .where({ id: teamId, contest_id: contestId })
      .update({ banned, ban_reason: banned ? reason ?? null : null });
    if (updated === 0) throw new NotFoundError('No such team in this contest');
    return this.team(teamId);
  }

  async listTeams(contestId: string, query?: string): Promise<TeamRow[]> {
    const q = this.db<TeamRow>('teams').where({ contest_id: contestId });
    if (query) {
      // Wildcards in the query are literal; SQLite needs the ESCAPE clause spelled out.
      const pattern = `%${query
        .toLocaleLowerCase('en-US')
        .replace(/[%_\\]/g, '\\$&')}%`;
      q.andWhereRaw(`?? LIKE ? ESCAPE '\\'`, ['name_key', pattern]);
    }
    return q.orderBy('name_key').limit(500);
  }

  // ------------------------------------------------------------- submissions

  /** Is the challenge open to this team now (visible, released, prerequisites solved)? */
  async assertChallengeOpen(
    contest: ContestRow,
    challenge: ContestChallengeRow,
    teamId: string,
    now: Date,
  ) {
    const releaseAt = toIso(challenge.release_at);
    if (
      toBool(challenge.hidden) ||
      (releaseAt && new Date(releaseAt) > now) ||
      now < new Date(toIso(contest.starts_at)!)
    ) {
      throw new NotFoundError(
        `No challenge "${challenge.name}" in this contest`,
      );
    }
    const requires: string[] = JSON.parse(challenge.requires);
    if (requires.length > 0) {
      const solved = await this.db('solves')
        .join(
          'contest_challenges',
          'contest_challenges.id',
          'solves.challenge_id',
        )
        .where({
          'solves.team_id': teamId,
          'contest_challenges.contest_id': contest.id,
        })
        .whereIn('contest_challenges.entity_ref', requires)
        .count({ n: '*' });
      if (Number(solved[0].n) < requires.length) {
        throw new NotAllowedError('Solve the prerequisite challenges first');
      }
    }
  }

  /** Checks a submission and records it; counted in flagstage_submissions_total by result. */
  async submit(
    contestantId: string,
    challengeName: string,
    submission: string,
    now = new Date(),
  ): Promise<SubmitResult> {
    try {
      const result = await this.submitOnce(
        contestantId,
        challengeName,
        submission,
        now,
      );
      submissionsTotal().inc({ result: result.outcome });
      if (result.outcome === 'correct') solvesTotal().inc();
      return result;
    } catch (e) {
      let result = 'invalid';
      if (e instanceof TooManySubmissionsError) result = 'rate_limited';
      else if ((e as { submissionClosed?: boolean }).submissionClosed)
        result = 'closed';
      submissionsTotal().inc({ result });
      throw e;
    }
  }

  private async submitOnce(
    contestantId: string,
    challengeName: string,
    submission: string,
    now: Date,
  ): Promise<SubmitResult> {
    // One query for who is submitting: contestant, team and contest.
    const ctx = await this.db('contestants as p')
      .join('contests as c', 'c.id', 'p.contest_id')
      .leftJoin('teams as t', 't.id', 'p.team_id')
      .where('p.id', contestantId)
      .first('c.*', 'p.team_id as me_team_id', 't.banned as me_team_banned');
    if (!ctx) throw new NotFoundError('No such contestant');
    if (!ctx.me_team_id)
      throw new NotAllowedError('Join a team before submitting');
    if (toBool(ctx.me_team_banned))
      throw new NotAllowedError('Your team is banned');
    const { me_team_id: teamId, me_team_banned: _banned, ...contestRow } = ctx;
    const contest = contestRow as ContestRow;
    const team = { id: teamId as string };
    const me = { id: contestantId };
    if (
      now < new Date(toIso(contest.starts_at)!) ||
      now >= new Date(toIso(contest.ends_at)!)
    ) {
      throw closedForSubmissions('The contest is not running');
    }
    const challenge = await this.cachedChallenge(contest.id, challengeName);
    await this.assertChallengeOpen(contest, challenge, team.id, now);

    await this.takeSubmissionSlot(contest, team.id, challenge.id, now);

    const flags: ChallengeFlag[] = JSON.parse(challenge.flags);
    const correct = checkFlag(flags, submission, {
      contestSecret: contest.flag_secret,
      teamId: team.id,
      challengeRef: challenge.entity_ref,
    });
    let outcome: SubmitResult['outcome'] = correct ? 'correct' : 'incorrect';
    if (correct) {
      try {
        await this.db('solves').insert({
          contest_id: contest.id,
          challenge_id: challenge.id,
          team_id: team.id,
          contestant_id: me.id,
          solved_at: now.toISOString(),
        });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        outcome = 'already_solved';
      }
    } else {
      await this.recordSharedFlag(
        contest,
        challenge,
        flags,
        team.id,
        me.id,
        submission,
        now,
      );
    }
    await this.db('submissions').insert({
      contest_id: contest.id,
      challenge_id: challenge.id,
      team_id: team.id,
      contestant_id: me.id,
      submission_hash: sha256Hex(submission),
      outcome,
      created_at: now.toISOString(),
    });
    if (outcome === 'correct') this.onSolve(contest.id);
    return { outcome };
  }

  /**
   * Fixed one-minute window per (team, challenge), counted with an atomic
   * upsert so concurrent submissions cannot slip past the limit; plus the
   * contest's optional cap on total attempts.
   */
  private async takeSubmissionSlot(
    contest: ContestRow,
    teamId: string,
    challengeId: string,
    now: Date,
  ) {
    const count = await this.countUp(
      teamId,
      challengeId,
      Math.floor(now.getTime() / 60000),
    );
    if (count > contest.submission_rate_per_minute) {
      throw new TooManySubmissionsError(
        60 - Math.floor((now.getTime() % 60000) / 1000),
      );
    }
    if (contest.max_attempts) {
      const attempts = await this.countUp(
        teamId,
        challengeId,
        TOTAL_ATTEMPTS_WINDOW,
      );
      if (attempts > contest.max_attempts) {
        throw closedForSubmissions('No attempts left for this challenge');
      }
    }
  }

  /** Atomically adds one to a (team, challenge, window) counter and returns the new count. */
  private async countUp(
    teamId: string,
    challengeId: string,
    windowStart: number,
  ): Promise<number> {
    const [row] = await this.db('submission_windows')
      .insert({
        team_id: teamId,
        challenge_id: challengeId,
        window_start: windowStart,
        count: 1,
      })
      .onConflict(['team_id', 'challenge_id', 'window_start'])
      .merge({ count: this.db.raw('?? + 1', ['submission_windows.count']) })
      .returning('count');
    return Number(typeof row === 'object' ? row.count : row);
  }

  /** A wrong submission that is another team's dynamic flag is a shared-flag incident. */
  private async recordSharedFlag(
    contest: ContestRow,
    challenge: ContestChallengeRow,
    flags: ChallengeFlag[],
    teamId: string,
    contestantId: string,
    submission: string,
    now: Date,
  ) {
    const prefixes = flags.flatMap(f =>
      f.kind === 'dynamic' ? [f.prefix] : [],
    );
    if (!prefixes.some(p => looksLikeDynamicFlag(submission, p))) return;
    const teams: { id: string }[] = await this.db('teams')
      .where({ contest_id: contest.id })
      .whereNot({ id: teamId })
      .select('id');
    for (const prefix of prefixes) {
      const owner = teams.find(
        t =>
          dynamicFlag(
            contest.flag_secret,
            t.id,
            challenge.entity_ref,
            prefix,
          ) === submission,
      );
      if (owner) {
        await this.db('flag_incidents').insert({
          contest_id: contest.id,
          challenge_id: challenge.id,
          submitting_team_id: teamId,
          owner_team_id: owner.id,
          contestant_id: contestantId,
          created_at: now.toISOString(),
        });
        this.logger.warn('Shared dynamic flag submitted', {
          contestId: contest.id,
          challenge: challenge.name,
          submittingTeamId: teamId,
          ownerTeamId: owner.id,
        });
        return;
      }
    }
  }

  // -------------------------------------------------------------- instances

  /**
   * Who may run an instance of this challenge now: a contestant in a team
   * that is not banned, while the contest runs, on a challenge open to the
   * team. Returns what the deployment plugin needs.
   */
  async instanceContext(
    contestantId: string,
    challengeName: string,
    now = new Date(),
  ) {
    const me = await this.contestant(contestantId);
    if (!me.team_id) throw new NotAllowedError('Join a team first');
    const contest = await this.contestById(me.contest_id);
    const team = await this.team(me.team_id);
    if (toBool(team.banned)) throw new NotAllowedError('Your team is banned');
    if (
      now < new Date(toIso(contest.starts_at)!) ||
      now >= new Date(toIso(contest.ends_at)!)
    )
      throw new NotAllowedError('The contest is not running');
    const challenge = await this.challengeByName(contest.id, challengeName);
    await this.assertChallengeOpen(contest, challenge, team.id, now);
    if (challenge.type !== 'instanced')
      throw new InputError(`"${challenge.name}" has no instances`);
    return {
      contestId: contest.id,
      teamId: team.id,
      challengeRef: challenge.entity_ref,
      contestantId: me.id,
    };
  }

  // ------------------------------------------------------------------ hints

  /** Unlocks a hint once per team; concurrent unlocks charge once (primary key). */
  async unlockHint(
    contestantId: string,
    challengeName: string,
    index: number,
    now = new Date(),
  ) {
    const me = await this.contestant(contestantId);
    if (!me.team_id) throw new NotAllowedError('Join a team first');
    const contest = await this.contestById(me.contest_id);
    if (now >= new Date(toIso(contest.ends_at)!))
      throw new NotAllowedError('The contest has ended');
    const team = await this.team(me.team_id);
    if (toBool(team.banned)) throw new NotAllowedError('Your team is banned');
    const challenge = await this.challengeByName(contest.id, challengeName);
    await this.assertChallengeOpen(contest, challenge, me.team_id, now);
    const hints: ChallengeHint[] = JSON.parse(challenge.hints);
    const hint = hints[index];
    if (!hint) throw new NotFoundError('No such hint');
    let charged = true;
    try {
      await this.db('hint_unlocks').insert({
        team_id: me.team_id,
        challenge_id: challenge.id,
        hint_index: index,
        cost: hint.cost ?? 0,
        unlocked_at: now.toISOString(),
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      charged = false;
    }
    if (charged && (hint.cost ?? 0) > 0) this.onSolve(contest.id);
    return {
      title: hint.title,
      content: hint.content,
      cost: hint.cost ?? 0,
      charged,
    };
  }

  /** Challenge ids the team solved and `challengeId#hintIndex` keys it unlocked. */
  async teamProgress(
    teamId: string,
  ): Promise<{ solved: Set<string>; unlocked: Set<string> }> {
    const [solves, hints] = await Promise.all([
      this.db('solves').where({ team_id: teamId }).select('challenge_id'),
      this.db('hint_unlocks')
        .where({ team_id: teamId })
        .select('challenge_id', 'hint_index'),
    ]);
    return {
      solved: new Set(solves.map((s: any) => s.challenge_id)),
      unlocked: new Set(
        hints.map((h: any) => `${h.challenge_id}#${h.hint_index}`),
      ),
    };
  }

  // ---------------------------------------------------------- announcements

  async announce(contestId: string, title: string, body: string) {
    const [row] = await this.db('announcements')
      .insert({
        contest_id: contestId,
        title,
        body,
        created_at: new Date().toISOString(),
      })
      .returning(['id']);
    return { id: Number(typeof row === 'object' ? row.id : row), title, body };
  }

  async announcements(contestId: string) {
    const rows = await this.db('announcements')
      .where({ contest_id: contestId })
      .orderBy('id', 'desc')
      .limit(100);
    return rows.map((r: any) => ({
      id: Number(r.id),
      title: r.title,
      body: r.body,
      createdAt: toIso(r.created_at),
    }));
  }

  // ------------------------------------------------------------ admin views

  async submissionsFeed(contestId: string, afterId = 0, limit = 100) {
    const rows = await this.db('submissions')
      .join('teams', 'teams.id', 'submissions.team_id')
      .join(
        'contest_challenges',
        'contest_challenges.id',
        'submissions.challenge_id',
      )
      .where('submissions.contest_id', contestId)
      .andWhere('submissions.id', '>', afterId)
      .orderBy('submissions.id', 'desc')
      .limit(Math.min(limit, 500))
      .select(
        'submissions.id',
        'submissions.outcome',
        'submissions.created_at',
        'teams.name as team',
        'contest_challenges.name as challenge',
        'submissions.contestant_id',
      );
    return rows.map((r: any) => ({
      id: Number(r.id),
      team: r.team,
      challenge: r.challenge,
      contestantId: r.contestant_id,
      outcome: r.outcome,
      at: toIso(r.created_at),
    }));
  }

  async incidents(contestId: string) {
    const rows = await this.db('flag_incidents as i')
      .join('teams as s', 's.id', 'i.submitting_team_id')
      .join('teams as o', 'o.id', 'i.owner_team_id')
      .join('contest_challenges as c', 'c.id', 'i.challenge_id')
      .where('i.contest_id', contestId)
      .orderBy('i.id', 'desc')
      .limit(500)
      .select(
        'i.id',
        'i.created_at',
        's.name as submittingTeam',
        'o.name as ownerTeam',
        'c.name as challenge',
        'i.contestant_id',
      );
    return rows.map((r: any) => ({
      id: Number(r.id),
      submittingTeam: r.submittingTeam,
      ownerTeam: r.ownerTeam,
      challenge: r.challenge,
      contestantId: r.contestant_id,
      at: toIso(r.created_at),
    }));
  }

  /** Solves, attempts and first blood of one catalog challenge across contests. */
  async challengeStats(entityRef: string) {
    const rows: ContestChallengeRow[] = await this.db(
      'contest_challenges',
    ).where({ entity_ref: entityRef });
    const out = [];
    for (const row of rows) {
      const contest = await this.contestById(row.contest_id);
      const [solves, attempts, first] = await Promise.all([
        this.db('solves').where({ challenge_id: row.id }).count({ n: '*' }),
        this.db('submissions')
          .where({ challenge_id: row.id })
          .count({ n: '*' }),
        this.db('solves')
          .join('teams', 'teams.id', 'solves.team_id')
          .where({ challenge_id: row.id })
          .orderBy([{ column: 'solves.solved_at' }, { column: 'solves.id' }])
          .first('teams.name as team', 'solves.solved_at'),
      ]);
      out.push({
        contest: contest.slug,
        hidden: toBool(row.hidden),
        solves: Number(solves[0].n),
        attempts: Number(attempts[0].n),
        firstBlood: first
          ? { team: first.team, at: toIso(first.solved_at) }
          : null,
      });
    }
    return out;
  }

  /** For the runtime: the FLAG a team's instance of a dynamic-flag challenge gets. */
  async runtimeFlagFor(
    contestId: string,
    teamId: string,
    challengeName: string,
  ): Promise<string | undefined> {
    const contest = await this.contestById(contestId);
    const challenge = await this.challengeByName(contestId, challengeName);
    const flags: ChallengeFlag[] = JSON.parse(challenge.flags);
    const dynamicFlagSpec = flags.find(f => f.kind === 'dynamic');
    if (!dynamicFlagSpec || dynamicFlagSpec.kind !== 'dynamic')
      return undefined;
    return dynamicFlag(
      contest.flag_secret,
      teamId,
      challenge.entity_ref,
      dynamicFlagSpec.prefix,
    );
  }
}

function safeEqualHex(a: string, b: string) {
  // Both are sha256 hex digests of equal length when valid.
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
