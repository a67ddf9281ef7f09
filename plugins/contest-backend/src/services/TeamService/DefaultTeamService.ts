import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { toBool, toEpochMs } from '@flagstage/backend-node';
import type { ContestStore } from '../../database/ContestStore';
import type { TeamStore } from '../../database/TeamStore';
import type { ContestRow, ContestantRow, TeamRow } from '../../database/rows';
import { sha256Hex } from '../flags';
import { MAX_TEAM_NAME, nameSkeleton, normalizeName } from '../names';
import { hashPassword, needsRehash, verifyPassword } from '../passwords';
import {
  DEFAULT_TEAM_RULES,
  type Registration,
  type TeamRules,
  type TeamService,
} from './types';

/** A dummy hash so that logging in as an unknown user costs as much as a wrong password. */
const DUMMY_HASH_PROMISE = hashPassword(randomBytes(16).toString('hex'));

const nameKey = (name: string) => name.toLocaleLowerCase('en-US');

/** Does the given registration code match the contest's (constant time)? */
function codeMatches(contest: ContestRow, code: string | undefined) {
  const given = Buffer.from(code ? sha256Hex(code) : '');
  const expected = Buffer.from(contest.registration_code_hash ?? '');
  return (
    expected.length > 0 &&
    given.length === expected.length &&
    timingSafeEqual(given, expected)
  );
}

/** Contestants and teams over the stores; joins and leaves are decided by the database. */
export class DefaultTeamService implements TeamService {
  constructor(
    private readonly stores: { contests: ContestStore; teams: TeamStore },
    private readonly rules: TeamRules = DEFAULT_TEAM_RULES,
  ) {}

  private async contestBySlug(slug: string) {
    const contest = await this.stores.contests.contestBySlug(slug);
    if (!contest) throw new NotFoundError(`No contest "${slug}"`);
    return contest;
  }

  private async contestOf(me: ContestantRow) {
    const contest = await this.stores.contests.contestById(me.contest_id);
    if (!contest)
      throw new NotFoundError(`No contest with id ${me.contest_id}`);
    return contest;
  }

  async register(slug: string, input: Registration) {
    const contest = await this.contestBySlug(slug);
    if (contest.registration === 'closed')
      throw new NotAllowedError('Registration is closed');
    if (
      this.rules.registrationClosesAtEnd &&
      toEpochMs(contest.ends_at) <= Date.now()
    )
      throw new NotAllowedError('Registration is closed: the contest is over');
    if (
      contest.registration === 'invite' &&
      !codeMatches(contest, input.registrationCode)
    ) {
      throw new NotAllowedError('This contest needs a valid registration code');
    }
    const row: ContestantRow = {
      id: randomUUID(),
      contest_id: contest.id,
      username: input.username,
      username_key: nameKey(input.username),
      username_skeleton: nameSkeleton(input.username),
      password_hash: await hashPassword(input.password),
      team_id: null,
      created_at: new Date().toISOString(),
    };
    if (!(await this.stores.teams.insertContestant(row)))
      throw new ConflictError(
        'That username is taken or looks too much like one that is',
      );
    return row;
  }

  async authenticate(slug: string, username: string, password: string) {
    const contest = await this.contestBySlug(slug);
    const row = await this.stores.teams.contestantByUsername(
      contest.id,
      nameKey(username),
    );
    const ok = await verifyPassword(
      password,
      row?.password_hash ?? (await DUMMY_HASH_PROMISE),
    );
    if (!row || !ok) throw new NotAllowedError('Wrong username or password');
    // Hashes from before the current cost are upgraded while the password is at hand.
    if (needsRehash(row.password_hash))
      await this.stores.teams.setPasswordHash(
        row.id,
        await hashPassword(password),
      );
    return row;
  }

  async contestant(id: string) {
    const row = await this.stores.teams.contestant(id);
    if (!row) throw new NotFoundError('No such contestant');
    return row;
  }

  async team(id: string) {
    const row = await this.stores.teams.team(id);
    if (!row) throw new NotFoundError('No such team');
    return row;
  }

  async createTeam(
    contestantId: string,
    input: { name: string; division?: string },
  ) {
    const me = await this.contestant(contestantId);
    if (me.team_id)
      throw new ConflictError('You are already in a team; leave it first');
    if (toBool(me.banned ?? false))
      throw new NotAllowedError('You were in a banned team');
    const contest = await this.contestOf(me);
    const divisions: string[] = JSON.parse(contest.divisions);
    if (input.division !== undefined && !divisions.includes(input.division)) {
      throw new InputError(
        `Unknown division; choose one of: ${divisions.join(', ') || '(none)'}`,
      );
    }
    const checked = normalizeName(input.name, { min: 2, max: MAX_TEAM_NAME });
    if ('error' in checked) throw new InputError(`name ${checked.error}`);
    const { maxTeamsPerContestant: cap } = this.rules;
    if (!(await this.stores.teams.claimTeamSlot(contestantId, cap)))
      throw new NotAllowedError(`You cannot create more than ${cap} teams`);
    const team: TeamRow = {
      id: randomUUID(),
      contest_id: contest.id,
      name: checked.name,
      name_key: nameKey(checked.name),
      name_skeleton: nameSkeleton(checked.name),
      division: input.division ?? divisions[0] ?? null,
      invite_code: randomBytes(12).toString('base64url'),
      member_count: 0,
      banned: false,
      ban_reason: null,
      created_at: new Date().toISOString(),
    };
    if (!(await this.stores.teams.insertTeam(team))) {
      await this.stores.teams.releaseTeamSlot(contestantId);
      throw new ConflictError(
        'That team name is taken or looks too much like one that is',
      );
    }
    await this.join(contestantId, team.id, contest.team_size_limit);
    return this.team(team.id);
  }

  async joinTeam(contestantId: string, inviteCode: string) {
    const me = await this.contestant(contestantId);
    const team = await this.stores.teams.teamByInviteCode(
      me.contest_id,
      inviteCode,
    );
    if (!team) throw new NotFoundError('No team with that invite code');
    if (toBool(team.banned)) throw new NotAllowedError('That team is banned');
    if (toBool(me.banned ?? false))
      throw new NotAllowedError('You were in a banned team');
    const contest = await this.contestOf(me);
    await this.join(contestantId, team.id, contest.team_size_limit);
    return this.team(team.id);
  }

  private async join(contestantId: string, teamId: string, limit: number) {
    const outcome = await this.stores.teams.join(contestantId, teamId, limit);
    if (outcome === 'full') throw new ConflictError('That team is full');
    if (outcome === 'already_in_team')
      throw new ConflictError('You are already in a team; leave it first');
  }

  async leaveTeam(contestantId: string) {
    const outcome = await this.stores.teams.leave(contestantId);
    if (outcome === 'not_in_team')
      throw new ConflictError('You are not in a team');
    if (outcome === 'has_solves') {
      throw new ConflictError(
        'Your team has solves; members cannot leave it any more',
      );
    }
  }
}
