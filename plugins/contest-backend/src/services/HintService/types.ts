/** A hint as the team sees it once unlocked. */
export type UnlockedHint = {
  title: string;
  content: string;
  cost: number;
  /** False when the team had unlocked it before (charged once). */
  charged: boolean;
};

/** What a team has done: solved challenge ids and `challengeId#hintIndex` keys of unlocked hints. */
export type TeamProgress = { solved: Set<string>; unlocked: Set<string> };

/** Hints: unlocking (charged once per team) and a team's progress. */
export interface HintService {
  unlockHint(
    contestantId: string,
    challengeName: string,
    index: number,
    now?: Date,
  ): Promise<UnlockedHint>;
  teamProgress(teamId: string): Promise<TeamProgress>;
}
