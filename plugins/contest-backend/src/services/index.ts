import type { Knex } from 'knex';
import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { createContestStores } from '../database';
import type { SessionStore } from '../database/SessionStore';
import { ChallengeCache } from './ChallengeCache';
import { DefaultContestAdminService } from './ContestAdminService/DefaultContestAdminService';
import type { ContestAdminService } from './ContestAdminService/types';
import { DefaultHintService } from './HintService/DefaultHintService';
import type { HintService } from './HintService/types';
import { LoginThrottle, type ThrottleLimits } from './LoginThrottle';
import { DefaultRuntimeService } from './RuntimeService/DefaultRuntimeService';
import type { RuntimeService } from './RuntimeService/types';
import { DefaultScoreboardService } from './ScoreboardService/DefaultScoreboardService';
import type { ScoreboardService } from './ScoreboardService/types';
import { DefaultSubmissionService } from './SubmissionService/DefaultSubmissionService';
import type {
  ScoreChangeListener,
  SubmissionService,
} from './SubmissionService/types';
import { DefaultTeamService } from './TeamService/DefaultTeamService';
import type { TeamRules, TeamService } from './TeamService/types';

/** Every service of the contest plugin, as the routers and the scheduler use them. */
export type ContestServices = {
  contests: ContestAdminService;
  teams: TeamService;
  submissions: SubmissionService;
  hints: HintService;
  runtime: RuntimeService;
  scoreboards: ScoreboardService;
  sessions: SessionStore;
  logins: LoginThrottle;
};

/**
 * Builds the stores on `db` and the services on them. A change of score
 * (solve, paid hint) asks for a scoreboard recompute unless `onScoreChange`
 * says otherwise (tests count them).
 */
export function createContestServices(options: {
  db: Knex;
  cache: CacheService;
  logger: LoggerService;
  onScoreChange?: ScoreChangeListener;
  /** Defaults: DEFAULT_TEAM_RULES. */
  teamRules?: TeamRules;
  /** Defaults: DEFAULT_THROTTLE_LIMITS. */
  throttleLimits?: ThrottleLimits;
}): ContestServices {
  const { cache, logger } = options;
  const stores = createContestStores(options.db);
  const scoreboards = new DefaultScoreboardService(stores, cache, logger);
  const onScoreChange =
    options.onScoreChange ??
    ((contestId: string) => scoreboards.requestRecompute(contestId));
  const challengeCache = new ChallengeCache(stores.contests);
  const contests = new DefaultContestAdminService(stores, challengeCache);
  const teams = new DefaultTeamService(stores, options.teamRules);
  const submissions = new DefaultSubmissionService(
    stores,
    challengeCache,
    logger,
    onScoreChange,
  );
  const gated = { contests, teams, gate: submissions };
  return {
    contests,
    teams,
    submissions,
    hints: new DefaultHintService(stores, gated, onScoreChange),
    runtime: new DefaultRuntimeService(gated),
    scoreboards,
    sessions: stores.sessions,
    logins: new LoginThrottle(stores.throttles, options.throttleLimits),
  };
}
