import { NotAllowedError } from '@backstage/errors';
import type { ContestChallengeRow, ContestRow } from '../../database/rows';

export type SubmitResult =
  | { outcome: 'correct' }
  | { outcome: 'incorrect' }
  | { outcome: 'already_solved' };

/** Called after a change of score (a solve, a paid hint) so the scoreboard is recomputed off the request path. */
export type ScoreChangeListener = (contestId: string) => void;

/** 429 for submissions over the per-team, per-challenge rate. */
export class TooManySubmissionsError extends Error {
  name = 'TooManySubmissionsError';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many submissions for this challenge; wait a minute');
  }
}

/** A refused submission that counts as `closed` (contest window, attempts used up). */
export function closedForSubmissions(message: string) {
  return Object.assign(new NotAllowedError(message), {
    submissionClosed: true,
  });
}

/** Is a challenge open to a team now? (Also used by hints and instances.) */
export interface ChallengeGate {
  /** NotFoundError while hidden or unreleased, NotAllowedError until the prerequisites are solved. */
  assertChallengeOpen(
    contest: ContestRow,
    challenge: ContestChallengeRow,
    teamId: string,
    now: Date,
  ): Promise<void>;
}

/** Flag submissions: checks, the rate window, the attempt cap and shared-flag incidents. */
export interface SubmissionService extends ChallengeGate {
  /** Checks a submission and records it; counted in flagstage_submissions_total by result. */
  submit(
    contestantId: string,
    challengeName: string,
    submission: string,
    now?: Date,
  ): Promise<SubmitResult>;
}
