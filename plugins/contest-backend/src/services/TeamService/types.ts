import type { ContestantRow, TeamRow } from '../../database/rows';

export type Registration = {
  username: string;
  password: string;
  registrationCode?: string;
};

/** Team and registration rules (config `contest.teams.*`, `contest.registrationClosesAtEnd`). */
export type TeamRules = {
  /** Teams one contestant may create in a contest. Default 3. */
  maxTeamsPerContestant: number;
  /** Registration closes when the contest ends. Default true. */
  registrationClosesAtEnd: boolean;
};

export const DEFAULT_TEAM_RULES: TeamRules = {
  maxTeamsPerContestant: 3,
  registrationClosesAtEnd: true,
};

/** Contestants (registration, sign-in) and their teams. */
export interface TeamService {
  register(slug: string, input: Registration): Promise<ContestantRow>;
  /** The contestant for correct credentials; the same NotAllowedError for an unknown user or a wrong password. */
  authenticate(
    slug: string,
    username: string,
    password: string,
  ): Promise<ContestantRow>;
  contestant(id: string): Promise<ContestantRow>;
  team(id: string): Promise<TeamRow>;
  createTeam(
    contestantId: string,
    input: { name: string; division?: string },
  ): Promise<TeamRow>;
  joinTeam(contestantId: string, inviteCode: string): Promise<TeamRow>;
  /** Refused once the team has solves (points would follow the member). */
  leaveTeam(contestantId: string): Promise<void>;
}
