import type { Knex } from 'knex';
import { insertUnique } from './insertUnique';
import { toBool, toIso } from '@flagstage/backend-node';
import type {
  AdminSubmission,
  ChallengeContestStats,
  FlagIncident,
  ScoreboardSolve,
} from '@flagstage/plugin-contest-common';
import type {
  ContestRow,
  FlagIncidentRow,
  NewRow,
  SolveRow,
  SubmissionRow,
} from './rows';

/** Who is submitting: the contestant's contest and team, in one query. */
export type Submitter = {
  contest: ContestRow;
  teamId: string | null;
  teamBanned: boolean;
};

/** One contest's figures for a challenge (without the contest and its visibility). */
export type ChallengeCounts = Omit<ChallengeContestStats, 'contest' | 'hidden'>;

/** Submissions, solves, the rate-limit counters and shared-flag incidents. */
export interface SubmissionStore {
  submitter(contestantId: string): Promise<Submitter | undefined>;
  /** How many of `entityRefs` the team solved in the contest. */
  countSolved(
    contestId: string,
    teamId: string,
    entityRefs: string[],
  ): Promise<number>;
  /** Atomically adds one to a (team, challenge, window) counter and returns the new count. */
  countUp(
    teamId: string,
    challengeId: string,
    windowStart: number,
  ): Promise<number>;
  /** False when the team had already solved the challenge (unique constraint). */
  insertSolve(row: NewRow<SolveRow>): Promise<boolean>;
  insertSubmission(row: NewRow<SubmissionRow>): Promise<void>;
  insertIncident(row: NewRow<FlagIncidentRow>): Promise<void>;
  /** Newest first, ids above `afterId`, at most `limit` (capped at 500). */
  feed(
    contestId: string,
    afterId: number,
    limit: number,
  ): Promise<AdminSubmission[]>;
  /** The newest 500 shared-flag incidents. */
  incidents(contestId: string): Promise<FlagIncident[]>;
  challengeCounts(challengeId: string): Promise<ChallengeCounts>;
  solvedChallengeIds(teamId: string): Promise<string[]>;
  /** A contest's solves with an id above `afterId`, by id. */
  solvesAfter(
    contestId: string,
    afterId: number,
  ): Promise<(ScoreboardSolve & { id: number })[]>;
}

export class DatabaseSubmissionStore implements SubmissionStore {
  constructor(private readonly db: Knex) {}

  async submitter(contestantId: string) {
    const row = await this.db('contestants as p')
      .join('contests as c', 'c.id', 'p.contest_id')
      .leftJoin('teams as t', 't.id', 'p.team_id')
      .where('p.id', contestantId)
      .first('c.*', 'p.team_id as me_team_id', 't.banned as me_team_banned');
    if (!row) return undefined;
    const { me_team_id: teamId, me_team_banned: banned, ...contest } = row;
    return {
      contest: contest as ContestRow,
      teamId: teamId ?? null,
      teamBanned: toBool(banned),
    };
  }

  async countSolved(contestId: string, teamId: string, entityRefs: string[]) {
    const [{ n }] = await this.db('solves')
      .join(
        'contest_challenges',
        'contest_challenges.id',
        'solves.challenge_id',
      )
      .where({
        'solves.team_id': teamId,
        'contest_challenges.contest_id': contestId,
      })
      .whereIn('contest_challenges.entity_ref', entityRefs)
      .count({ n: '*' });
    return Number(n);
  }

  async countUp(teamId: string, challengeId: string, windowStart: number) {
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

  insertSolve(row: NewRow<SolveRow>) {
    return insertUnique(this.db, 'solves', row);
  }

  async insertSubmission(row: NewRow<SubmissionRow>) {
    await this.db('submissions').insert(row);
  }

  async insertIncident(row: NewRow<FlagIncidentRow>) {
    await this.db('flag_incidents').insert(row);
  }

  async feed(contestId: string, afterId: number, limit: number) {
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
    return rows.map(r => ({
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
    return rows.map(r => ({
      id: Number(r.id),
      submittingTeam: r.submittingTeam,
      ownerTeam: r.ownerTeam,
      challenge: r.challenge,
      contestantId: r.contestant_id,
      at: toIso(r.created_at),
    }));
  }

  async challengeCounts(challengeId: string) {
    const [solves, attempts, first] = await Promise.all([
      this.db('solves').where({ challenge_id: challengeId }).count({ n: '*' }),
      this.db('submissions')
        .where({ challenge_id: challengeId })
        .count({ n: '*' }),
      this.db('solves')
        .join('teams', 'teams.id', 'solves.team_id')
        .where({ challenge_id: challengeId })
        .orderBy([{ column: 'solves.solved_at' }, { column: 'solves.id' }])
        .first('teams.name as team', 'solves.solved_at'),
    ]);
    return {
      solves: Number(solves[0].n),
      attempts: Number(attempts[0].n),
      firstBlood: first
        ? { team: first.team as string, at: toIso(first.solved_at) }
        : null,
    };
  }

  async solvedChallengeIds(teamId: string) {
    const rows: { challenge_id: string }[] = await this.db('solves')
      .where({ team_id: teamId })
      .select('challenge_id');
    return rows.map(r => r.challenge_id);
  }

  async solvesAfter(contestId: string, afterId: number) {
    const rows: Pick<
      SolveRow,
      'id' | 'team_id' | 'challenge_id' | 'solved_at'
    >[] = await this.db('solves')
      .where({ contest_id: contestId })
      .andWhere('id', '>', afterId)
      .orderBy('id')
      .select('id', 'team_id', 'challenge_id', 'solved_at');
    return rows.map(r => ({
      id: Number(r.id),
      teamId: r.team_id,
      challengeId: r.challenge_id,
      solvedAt: toIso(r.solved_at),
    }));
  }
}
