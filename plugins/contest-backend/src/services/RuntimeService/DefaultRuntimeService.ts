import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ChallengeFlag } from '@flagstage/plugin-challenge-common';
import type { ContestReader } from '../ContestAdminService/types';
import { isRunning } from '../ContestAdminService/contestColumns';
import type { ChallengeGate } from '../SubmissionService/types';
import type { TeamService } from '../TeamService/types';
import { assertActiveTeam } from '../TeamService/assertActiveTeam';
import { dynamicFlag } from '../flags';
import type { RuntimeEnv, RuntimeService } from './types';

const asEnv = (flag: string | undefined): RuntimeEnv =>
  flag ? { FLAG: flag } : {};

/** Instance access and instance environments, over the other services. */
export class DefaultRuntimeService implements RuntimeService {
  constructor(
    private readonly services: {
      contests: ContestReader;
      teams: TeamService;
      gate: ChallengeGate;
    },
  ) {}

  async instanceContext(
    contestantId: string,
    challengeName: string,
    now = new Date(),
  ) {
    const { contests, teams, gate } = this.services;
    const me = await teams.contestant(contestantId);
    if (!me.team_id) throw new NotAllowedError('Join a team first');
    const contest = await contests.contestById(me.contest_id);
    const team = await teams.team(me.team_id);
    assertActiveTeam(team);
    if (!isRunning(contest, now))
      throw new NotAllowedError('The contest is not running');
    const challenge = await contests.challengeByName(contest.id, challengeName);
    await gate.assertChallengeOpen(contest, challenge, team.id, now);
    if (challenge.type !== 'instanced')
      throw new InputError(`"${challenge.name}" has no instances`);
    return {
      contestId: contest.id,
      teamId: team.id,
      challengeRef: challenge.entity_ref,
      contestantId: me.id,
    };
  }

  async runtimeFlagFor(
    contestId: string,
    teamId: string,
    challengeName: string,
  ) {
    const { contests } = this.services;
    const contest = await contests.contestById(contestId);
    const challenge = await contests.challengeByName(contestId, challengeName);
    const flags: ChallengeFlag[] = JSON.parse(challenge.flags);
    const spec = flags.find(f => f.kind === 'dynamic');
    if (!spec || spec.kind !== 'dynamic') return undefined;
    return dynamicFlag(
      contest.flag_secret,
      teamId,
      challenge.entity_ref,
      spec.prefix,
    );
  }

  async envBySlug(slug: string, teamId: string, challengeName: string) {
    const contest = await this.services.contests.contestRow(slug);
    await this.teamIn(contest.id, teamId);
    return asEnv(await this.runtimeFlagFor(contest.id, teamId, challengeName));
  }

  async envByRef(contestId: string, teamId: string, challengeRef: string) {
    await this.teamIn(contestId, teamId);
    const challenge = await this.services.contests.challengeByRef(
      contestId,
      challengeRef,
    );
    return asEnv(await this.runtimeFlagFor(contestId, teamId, challenge.name));
  }

  private async teamIn(contestId: string, teamId: string) {
    const team = await this.services.teams.team(teamId);
    if (team.contest_id !== contestId)
      throw new NotFoundError('No such team in this contest');
  }
}
