import type { Entity } from '@backstage/catalog-model';
import type { ChallengeScoring } from '@flagstage/plugin-challenge-common';
import type {
  AdminSubmission,
  Announcement,
  ChallengeContestStats,
  Contest,
  ContestCreateRequest,
  FlagIncident,
  NewAnnouncement,
} from '@flagstage/plugin-contest-common';
import type {
  ContestChallengeRow,
  ContestRow,
  TeamRow,
} from '../../database/rows';

/** A new contest as `POST /admin/contests` takes it. */
export type ContestInput = ContestCreateRequest;

/** What admins see of a contest: everything but secrets (the shared `Contest` type). */
export type ContestView = Contest;

/** Loads an entity from the catalog (with the caller's or the plugin's credentials). */
export type EntityLoader = (entityRef: string) => Promise<Entity | undefined>;

export type AttachOptions = { hidden?: boolean; releaseAt?: string | null };

/** Reading contests, their challenges and announcements (what every router needs). */
export interface ContestReader {
  listContests(): Promise<ContestView[]>;
  /** NotFoundError when there is no such contest. */
  contest(slug: string): Promise<ContestView>;
  /** NotFoundError when there is no such contest. */
  contestRow(slug: string): Promise<ContestRow>;
  contestById(id: string): Promise<ContestRow>;
  listChallengeRows(contestId: string): Promise<ContestChallengeRow[]>;
  challengeByName(
    contestId: string,
    name: string,
  ): Promise<ContestChallengeRow>;
  challengeByRef(
    contestId: string,
    entityRef: string,
  ): Promise<ContestChallengeRow>;
  announcements(contestId: string): Promise<Announcement[]>;
}

/** An attached challenge as staff see it (no flags), with its effective scoring. */
export type AdminChallenge = {
  id: string;
  name: string;
  entityRef: string;
  title: string;
  category: string;
  difficulty: string;
  type: string;
  hidden: boolean;
  releaseAt: string | null;
  syncedAt: string;
  scoring: ChallengeScoring;
};

/** Staff operations on contests: CRUD, challenges, teams, announcements, and the admin views. */
export interface ContestAdminService extends ContestReader {
  /** A contest and its attached challenges, for staff. */
  contestDetail(
    slug: string,
  ): Promise<{ contest: ContestView; challenges: AdminChallenge[] }>;
  createContest(input: ContestInput): Promise<ContestView>;
  updateContest(
    slug: string,
    input: Partial<ContestInput>,
  ): Promise<ContestView>;
  /** Deletes a contest and everything in it (teams, contestants, solves). */
  deleteContest(slug: string): Promise<void>;
  /** Attaches (or re-syncs) a Challenge entity; solves survive re-syncs. */
  attachChallenge(
    slug: string,
    entity: Entity,
    options?: AttachOptions,
  ): Promise<ContestChallengeRow>;
  /** Removes a challenge from a contest; refused once a team solved it (hide it instead). */
  detachChallenge(slug: string, name: string): Promise<void>;
  /** Re-reads every attached challenge from the catalog; missing or invalid ones are counted, not changed. */
  resyncChallenges(
    load: EntityLoader,
  ): Promise<{ updated: number; missing: number }>;
  listTeams(contestId: string, query?: string): Promise<TeamRow[]>;
  setBanned(
    contestId: string,
    teamId: string,
    banned: boolean,
    reason?: string,
  ): Promise<TeamRow>;
  announce(
    contestId: string,
    title: string,
    body: string,
  ): Promise<NewAnnouncement>;
  submissionsFeed(
    contestId: string,
    afterId?: number,
    limit?: number,
  ): Promise<AdminSubmission[]>;
  incidents(contestId: string): Promise<FlagIncident[]>;
  /** Solves, attempts and first blood of one catalog challenge across contests. */
  challengeStats(entityRef: string): Promise<ChallengeContestStats[]>;
}
