import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AdminSubmission,
  AdminTeam,
  Announcement,
  AttachChallengeRequest,
  ChallengeContestStats,
  ChallengeVisibility,
  ChallengeVisibilityResult,
  Contest,
  ContestCreateRequest,
  ContestDetail,
  ContestUpdateRequest,
  FlagIncident,
  NewAnnouncement,
  ScoreboardPage,
  ScoreboardView,
  TeamBanRequest,
  TeamBanResult,
} from '@flagstage/plugin-contest-common';

/**
 * The contest backend's staff API (`/api/contest/admin`), as the portal uses
 * it. Every method rejects with a ResponseError carrying the backend's
 * message when the answer is not 2xx.
 *
 * @public
 */
export interface ContestApi {
  listContests(): Promise<Contest[]>;
  createContest(request: ContestCreateRequest): Promise<Contest>;
  updateContest(slug: string, patch: ContestUpdateRequest): Promise<Contest>;
  deleteContest(slug: string): Promise<void>;
  getContest(slug: string): Promise<ContestDetail>;

  attachChallenge(
    slug: string,
    request: AttachChallengeRequest,
  ): Promise<ChallengeVisibilityResult>;
  updateChallenge(
    slug: string,
    name: string,
    visibility: ChallengeVisibility,
  ): Promise<ChallengeVisibilityResult>;
  /** Refused (409) once a team solved it: hide it instead. */
  detachChallenge(slug: string, name: string): Promise<void>;

  listTeams(slug: string, query?: string): Promise<AdminTeam[]>;
  setTeamBanned(
    slug: string,
    teamId: string,
    request: TeamBanRequest,
  ): Promise<TeamBanResult>;

  /** Newest first; with `after`, only submissions with a larger id (at most 100). */
  listSubmissions(slug: string, after?: number): Promise<AdminSubmission[]>;
  listIncidents(slug: string): Promise<FlagIncident[]>;

  getScoreboard(
    slug: string,
    options?: { view?: ScoreboardView; division?: string; page?: number },
  ): Promise<ScoreboardPage>;

  listAnnouncements(slug: string): Promise<Announcement[]>;
  postAnnouncement(
    slug: string,
    announcement: { title: string; body: string },
  ): Promise<NewAnnouncement>;

  /** Solves, attempts and first blood of a catalog challenge in every contest it is in. */
  getChallengeStats(entityRef: string): Promise<ChallengeContestStats[]>;
}

/** @public */
export const contestApiRef = createApiRef<ContestApi>({
  id: 'plugin.contest.api',
});
