/** What the deployment plugin needs to run a team's instance. */
export type InstanceContext = {
  contestId: string;
  teamId: string;
  challengeRef: string;
  contestantId: string;
};

/** The environment a team's instance gets (`FLAG` for dynamic-flag challenges). */
export type RuntimeEnv = Record<string, string>;

/** Instances: who may run one, and what it is given. */
export interface RuntimeService {
  /**
   * Who may run an instance of this challenge now: a contestant in a team
   * that is not banned, while the contest runs, on a challenge open to the
   * team.
   */
  instanceContext(
    contestantId: string,
    challengeName: string,
    now?: Date,
  ): Promise<InstanceContext>;
  /** The FLAG a team's instance of a dynamic-flag challenge gets. */
  runtimeFlagFor(
    contestId: string,
    teamId: string,
    challengeName: string,
  ): Promise<string | undefined>;
  /** A team's instance environment, by contest slug and challenge name. */
  envBySlug(
    slug: string,
    teamId: string,
    challengeName: string,
  ): Promise<RuntimeEnv>;
  /** The same by ids (what the deployment worker holds). */
  envByRef(
    contestId: string,
    teamId: string,
    challengeRef: string,
  ): Promise<RuntimeEnv>;
}
