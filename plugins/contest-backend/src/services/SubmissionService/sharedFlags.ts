import type { ChallengeFlag } from '@flagstage/plugin-challenge-common';
import type { ContestChallengeRow, ContestRow } from '../../database/rows';
import { dynamicFlag, looksLikeDynamicFlag } from '../flags';

/**
 * The team whose dynamic flag a (wrong) submission is, if any. Other teams
 * are loaded only when the submission has the shape of a dynamic flag.
 */
export async function findFlagOwner(
  wrong: {
    contest: ContestRow;
    challenge: ContestChallengeRow;
    flags: ChallengeFlag[];
    submission: string;
  },
  otherTeamIds: () => Promise<string[]>,
): Promise<string | undefined> {
  const { contest, challenge, flags, submission } = wrong;
  const prefixes = flags.flatMap(f => (f.kind === 'dynamic' ? [f.prefix] : []));
  if (!prefixes.some(p => looksLikeDynamicFlag(submission, p)))
    return undefined;
  const teams = await otherTeamIds();
  for (const prefix of prefixes) {
    const owner = teams.find(
      teamId =>
        dynamicFlag(
          contest.flag_secret,
          teamId,
          challenge.entity_ref,
          prefix,
        ) === submission,
    );
    if (owner) return owner;
  }
  return undefined;
}
