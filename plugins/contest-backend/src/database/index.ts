import type { Knex } from 'knex';
import {
  DatabaseAnnouncementStore,
  type AnnouncementStore,
} from './AnnouncementStore';
import { DatabaseContestStore, type ContestStore } from './ContestStore';
import { DatabaseHintStore, type HintStore } from './HintStore';
import { SessionStore } from './SessionStore';
import {
  DatabaseSubmissionStore,
  type SubmissionStore,
} from './SubmissionStore';
import { DatabaseTeamStore, type TeamStore } from './TeamStore';
import { DatabaseThrottleStore, type ThrottleStore } from './ThrottleStore';

/** Every store of the contest database. */
export type ContestStores = {
  contests: ContestStore;
  teams: TeamStore;
  submissions: SubmissionStore;
  hints: HintStore;
  announcements: AnnouncementStore;
  sessions: SessionStore;
  throttles: ThrottleStore;
};

export function createContestStores(db: Knex): ContestStores {
  return {
    contests: new DatabaseContestStore(db),
    teams: new DatabaseTeamStore(db),
    submissions: new DatabaseSubmissionStore(db),
    hints: new DatabaseHintStore(db),
    announcements: new DatabaseAnnouncementStore(db),
    sessions: new SessionStore(db),
    throttles: new DatabaseThrottleStore(db),
  };
}
