import type {
  InstanceAccess,
  InstanceView,
} from '@flagstage/plugin-deployment-common';
import type { Contest, Scoreboard } from '../types';

/*
 * Request and response shapes of the contestant API
 * (`/api/contest/public`): what the play app reads and sends. Contestants
 * are not Backstage users; routes that need one read the session cookie.
 */

/** A list answer: `{ items: [...] }`. @public */
export type ListResponse<T> = { items: T[] };

/** A contest as contestants see it (`GET /public/contests[/:slug]`). @public */
export type PublicContest = Pick<
  Contest,
  | 'slug'
  | 'name'
  | 'startsAt'
  | 'endsAt'
  | 'freezeAt'
  | 'divisions'
  | 'teamSizeLimit'
  | 'registration'
>;

/** `POST /public/contests/:slug/register`. @public */
export type RegisterRequest = {
  username: string;
  password: string;
  /** Required when the contest's registration is `invite`. */
  registrationCode?: string;
};

/** `POST /public/contests/:slug/login`. @public */
export type LoginRequest = { username: string; password: string };

/** Answer of register and login (the session is a cookie). @public */
export type ContestantAccount = { id: string; username: string };

/** The signed-in contestant's team. @public */
export type PublicTeam = {
  id: string;
  name: string;
  division: string | null;
  inviteCode: string;
  members: number;
  banned: boolean;
};

/** `GET /public/me`: the signed-in contestant (401 without a session). @public */
export type ContestantMe = {
  id: string;
  username: string;
  /** The contest's slug. */
  contest: string;
  team: PublicTeam | null;
};

/** `POST /public/teams`. @public */
export type TeamCreateRequest = { name: string; division?: string };

/** `POST /public/teams/join`. @public */
export type TeamJoinRequest = { inviteCode: string };

/** Answer of creating (with the invite code) or joining a team. @public */
export type TeamSummary = Pick<PublicTeam, 'id' | 'name' | 'division'> & {
  inviteCode?: string;
};

/** A hint; `content` is null until the team unlocked it. @public */
export type PublicHint = {
  index: number;
  title: string;
  cost: number;
  content: string | null;
};

/** `POST /public/challenges/:name/hints/:index/unlock`. @public */
export type HintUnlockResult = {
  title: string;
  content: string;
  cost: number;
  /** False when the team had unlocked it before (no second charge). */
  charged: boolean;
};

/** A file of a challenge. @public */
export type PublicAttachment = {
  name: string;
  url: string | null;
  sha256: string | null;
};

/**
 * A challenge as contestants see it (`GET /public/challenges`): visible and
 * released ones only; a locked one without description or attachments.
 *
 * @public
 */
export type PublicChallenge = {
  name: string;
  title: string;
  category: string;
  difficulty: string | null;
  type: string;
  protocol: 'http' | 'tcp' | null;
  value: number;
  solves: number;
  solved: boolean;
  locked: boolean;
  /** What unlocks it, by challenge name (an entity ref when not in the contest). */
  requires: string[];
  description: string;
  attachments: PublicAttachment[];
  hints: PublicHint[];
};

/** `POST /public/challenges/:name/submit`. @public */
export type SubmitFlagRequest = { flag: string };

/** Answer of a flag submission. @public */
export type SubmitResult = { correct: boolean; alreadySolved: boolean };

/**
 * The team's instance of a challenge as a contestant sees it: state, times
 * and how to reach it (`access`, while RUNNING).
 *
 * @public
 */
export type PublicInstance = Pick<
  InstanceView,
  | 'id'
  | 'challenge'
  | 'state'
  | 'failureReason'
  | 'protocol'
  | 'createdAt'
  | 'expiresAt'
  | 'extendableFrom'
> & { access: InstanceAccess | null };

/** `GET /public/challenges/:name/instance`: null when the team has none. @public */
export type InstanceResponse = { instance: PublicInstance | null };

/** Answer of starting, stopping and extending an instance. @public */
export type InstanceActionResponse = { instance: PublicInstance };

/**
 * One page of a scoreboard (`GET /public/contests/:slug/scoreboard` and the
 * staff's `GET /admin/contests/:slug/scoreboard`): the common `Scoreboard`
 * with its page coordinates.
 *
 * @public
 */
export type ScoreboardPage = Scoreboard & {
  /** null: all teams. */
  division: string | null;
  page: number;
  pageSize: number;
  pages: number;
  total: number;
};

/** An announcement to the contestants (`GET /public/contests/:slug/announcements`). @public */
export type Announcement = {
  id: number;
  title: string;
  body: string;
  createdAt: string;
};

/** Answer of `POST /admin/contests/:slug/announcements`. @public */
export type NewAnnouncement = Omit<Announcement, 'createdAt'>;

/** `GET /public/time`: the server's clock. @public */
export type ServerTime = { now: string };
