import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  type ChallengeFlag,
  regexFlagMatches,
  MAX_FLAG_SUBMISSION_LENGTH,
} from '@flagstage/plugin-challenge-common';

/** Hex characters of the HMAC kept in a dynamic flag. */
export const DYNAMIC_FLAG_HEX_LENGTH = 32;

/** sha256 hex of a string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * The per-team flag of a dynamic-flag challenge:
 * `prefix{hex(HMAC-SHA256(contestSecret, teamId|challengeRef))[0..32]}`.
 * Given to the team's instance as FLAG.
 */
export function dynamicFlag(
  contestSecret: string,
  teamId: string,
  challengeRef: string,
  prefix: string,
): string {
  if (teamId.includes('|'))
    throw new Error('team id must not contain the | separator');
  const mac = createHmac('sha256', contestSecret)
    .update(`${teamId}|${challengeRef}`, 'utf8')
    .digest('hex')
    .slice(0, DYNAMIC_FLAG_HEX_LENGTH);
  return `${prefix}{${mac}}`;
}

/** Does the submission have the shape of a dynamic flag with this prefix? */
export function looksLikeDynamicFlag(
  submission: string,
  prefix: string,
): boolean {
  return (
    submission.length === prefix.length + DYNAMIC_FLAG_HEX_LENGTH + 2 &&
    submission.startsWith(`${prefix}{`) &&
    /^[0-9a-f]+$/.test(submission.slice(prefix.length + 1, -1)) &&
    submission.endsWith('}')
  );
}

function constantTimeStringEqual(a: string, b: string): boolean {
  // Compare digests so that length differences do not leak through timing either.
  return equalHex(sha256Hex(a), sha256Hex(b));
}

/** Checks a submission against a challenge's flags for one team. */
export function checkFlag(
  flags: ChallengeFlag[],
  submission: string,
  ctx: { contestSecret: string; teamId: string; challengeRef: string },
): boolean {
  if (submission.length === 0 || submission.length > MAX_FLAG_SUBMISSION_LENGTH)
    return false;
  const digest = sha256Hex(submission);
  let correct = false;
  // Evaluate every flag (no early exit) so timing does not reveal which kind matched.
  for (const flag of flags) {
    if (flag.kind === 'static') {
      correct =
        equalHex(digest, flag.sha256.slice('sha256:'.length)) || correct;
    } else if (flag.kind === 'regex') {
      correct =
        regexFlagMatches(flag.pattern, flag.caseInsensitive, submission) ||
        correct;
    } else if (flag.kind === 'dynamic') {
      const expected = dynamicFlag(
        ctx.contestSecret,
        ctx.teamId,
        ctx.challengeRef,
        flag.prefix,
      );
      correct = constantTimeStringEqual(expected, submission) || correct;
    }
  }
  return correct;
}
