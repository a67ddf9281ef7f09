import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { toBool, toIso } from '@flagstage/backend-node';
import type { ChallengeFlag } from '@flagstage/plugin-challenge-common';
import type { ContestStores } from '../../database';
import type {
  ContestChallengeRow,
  ContestRow,
  SolveRow,
} from '../../database/rows';
import type { ChallengeCache } from '../ChallengeCache';
import { isRunning } from '../ContestAdminService/contestColumns';
import { checkFlag, sha256Hex } from '../flags';
import { findFlagOwner } from './sharedFlags';
import {
  closedForSubmissions,
  TooManySubmissionsError,
  type ScoreChangeListener,
  type SubmissionService,
  type SubmitResult,
} from './types';

/** The submission_windows row that counts a team's attempts on a challenge over the whole contest. */
const TOTAL_ATTEMPTS_WINDOW = -1;
const MINUTE_MS = 60_000;

/**
 * The submission path. Everything that can race is decided by the database:
 * the rate window is an atomic upsert, a solve an INSERT under a unique
 * constraint.
 */
export class DefaultSubmissionService implements SubmissionService {
  constructor(
    private readonly stores: Pick<ContestStores, 'submissions' | 'teams'>,
    private readonly challenges: ChallengeCache,
    private readonly logger: LoggerService,
    private readonly onScoreChange: ScoreChangeListener = () => {},
  ) {}

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
      flagstageMetrics.submissions().inc({ result: result.outcome });
      if (result.outcome === 'correct') flagstageMetrics.solves().inc();
      return result;
    } catch (e) {
      let result = 'invalid';
      if (e instanceof TooManySubmissionsError) result = 'rate_limited';
      else if ((e as { submissionClosed?: boolean }).submissionClosed)
        result = 'closed';
      flagstageMetrics.submissions().inc({ result });
      throw e;
    }
  }

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
      now < new Date(toIso(contest.starts_at))
    ) {
      throw new NotFoundError(
        `No challenge "${challenge.name}" in this contest`,
      );
    }
    const requires: string[] = JSON.parse(challenge.requires);
    if (
      requires.length > 0 &&
      (await this.stores.submissions.countSolved(
        contest.id,
        teamId,
        requires,
      )) < requires.length
    ) {
      throw new NotAllowedError('Solve the prerequisite challenges first');
    }
  }

  private async submitOnce(
    contestantId: string,
    challengeName: string,
    submission: string,
    now: Date,
  ): Promise<SubmitResult> {
    const me = await this.stores.submissions.submitter(contestantId);
    if (!me) throw new NotFoundError('No such contestant');
    const { contest, teamId } = me;
    if (!teamId) throw new NotAllowedError('Join a team before submitting');
    if (me.teamBanned) throw new NotAllowedError('Your team is banned');
    if (!isRunning(contest, now))
      throw closedForSubmissions('The contest is not running');
    const challenge = await this.challenges.get(contest.id, challengeName);
    await this.assertChallengeOpen(contest, challenge, teamId, now);
    await this.takeSubmissionSlot(contest, teamId, challenge.id, now);

    const flags: ChallengeFlag[] = JSON.parse(challenge.flags);
    const correct = checkFlag(flags, submission, {
      contestSecret: contest.flag_secret,
      teamId,
      challengeRef: challenge.entity_ref,
    });
    const row = {
      contest_id: contest.id,
      challenge_id: challenge.id,
      team_id: teamId,
      contestant_id: contestantId,
    };
    let outcome: SubmitResult['outcome'] = 'incorrect';
    if (correct) {
      const solved = await this.stores.submissions.insertSolve({
        ...row,
        solved_at: now.toISOString(),
      });
      outcome = solved ? 'correct' : 'already_solved';
    } else {
      await this.recordSharedFlag(contest, challenge, flags, row, {
        submission,
        now,
      });
    }
    await this.stores.submissions.insertSubmission({
      ...row,
      submission_hash: sha256Hex(submission),
      outcome,
      created_at: now.toISOString(),
    });
    if (outcome === 'correct') this.onScoreChange(contest.id);
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
    const { submissions } = this.stores;
    const window = Math.floor(now.getTime() / MINUTE_MS);
    const count = await submissions.countUp(teamId, challengeId, window);
    if (count > contest.submission_rate_per_minute) {
      throw new TooManySubmissionsError(
        60 - Math.floor((now.getTime() % MINUTE_MS) / 1000),
      );
    }
    if (contest.max_attempts) {
      const attempts = await submissions.countUp(
        teamId,
        challengeId,
        TOTAL_ATTEMPTS_WINDOW,
      );
      if (attempts > contest.max_attempts)
        throw closedForSubmissions('No attempts left for this challenge');
    }
  }

  /** A wrong submission that is another team's dynamic flag is a shared-flag incident. */
  private async recordSharedFlag(
    contest: ContestRow,
    challenge: ContestChallengeRow,
    flags: ChallengeFlag[],
    row: Omit<SolveRow, 'id' | 'solved_at'>,
    { submission, now }: { submission: string; now: Date },
  ) {
    const ownerTeamId = await findFlagOwner(
      { contest, challenge, flags, submission },
      () => this.stores.teams.otherTeamIds(contest.id, row.team_id),
    );
    if (!ownerTeamId) return;
    await this.stores.submissions.insertIncident({
      contest_id: row.contest_id,
      challenge_id: row.challenge_id,
      submitting_team_id: row.team_id,
      owner_team_id: ownerTeamId,
      contestant_id: row.contestant_id,
      created_at: now.toISOString(),
    });
    this.logger.warn('Shared dynamic flag submitted', {
      contestId: contest.id,
      challengeRef: challenge.entity_ref,
      teamId: row.team_id,
      ownerTeamId,
      contestantId: row.contestant_id,
    });
  }
}
