import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { toIso } from '@flagstage/backend-node';
import type { ChallengeHint } from '@flagstage/plugin-challenge-common';
import type { ContestStores } from '../../database';
import type { ContestReader } from '../ContestAdminService/types';
import type {
  ChallengeGate,
  ScoreChangeListener,
} from '../SubmissionService/types';
import type { TeamService } from '../TeamService/types';
import { assertActiveTeam } from '../TeamService/assertActiveTeam';
import type { HintService, TeamProgress } from './types';

/** Hints over the stores; concurrent unlocks charge once (primary key). */
export class DefaultHintService implements HintService {
  constructor(
    private readonly stores: Pick<ContestStores, 'hints' | 'submissions'>,
    private readonly services: {
      contests: ContestReader;
      teams: TeamService;
      gate: ChallengeGate;
    },
    private readonly onScoreChange: ScoreChangeListener = () => {},
  ) {}

  async unlockHint(
    contestantId: string,
    challengeName: string,
    index: number,
    now = new Date(),
  ) {
    const { contests, teams, gate } = this.services;
    const me = await teams.contestant(contestantId);
    if (!me.team_id) throw new NotAllowedError('Join a team first');
    const contest = await contests.contestById(me.contest_id);
    if (now >= new Date(toIso(contest.ends_at)))
      throw new NotAllowedError('The contest has ended');
    assertActiveTeam(await teams.team(me.team_id));
    const challenge = await contests.challengeByName(contest.id, challengeName);
    await gate.assertChallengeOpen(contest, challenge, me.team_id, now);
    const hints: ChallengeHint[] = JSON.parse(challenge.hints);
    const hint = hints[index];
    if (!hint) throw new NotFoundError('No such hint');
    const cost = hint.cost ?? 0;
    const charged = await this.stores.hints.insertUnlock({
      team_id: me.team_id,
      challenge_id: challenge.id,
      hint_index: index,
      cost,
      unlocked_at: now.toISOString(),
    });
    if (charged && cost > 0) this.onScoreChange(contest.id);
    return { title: hint.title, content: hint.content, cost, charged };
  }

  async teamProgress(teamId: string): Promise<TeamProgress> {
    const [solved, unlocks] = await Promise.all([
      this.stores.submissions.solvedChallengeIds(teamId),
      this.stores.hints.unlocks(teamId),
    ]);
    return {
      solved: new Set(solved),
      unlocked: new Set(unlocks.map(h => `${h.challenge_id}#${h.hint_index}`)),
    };
  }
}
