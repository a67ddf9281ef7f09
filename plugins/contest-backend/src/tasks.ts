import type {
  LoggerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { ContestServices } from './services';
import type { EntityLoader } from './services/ContestAdminService/types';
import {
  ensureDemoContest,
  readDemoContestConfig,
} from './services/demoContest';

export type ContestTask = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/**
 * The plugin's scheduled tasks (global: one replica runs each): scoreboard
 * recomputes, the catalog re-sync of attached challenges, and in development
 * the demo contest.
 */
export function contestTasks(options: {
  config: Config;
  logger: LoggerService;
  services: Pick<ContestServices, 'contests' | 'scoreboards'>;
  /** Loads catalog entities with the plugin's own credentials. */
  load: EntityLoader;
}): ContestTask[] {
  const { config, logger, services, load } = options;
  const tasks: ContestTask[] = [
    {
      id: 'contest-scoreboard-recompute',
      frequency: {
        seconds:
          config.getOptionalNumber('contest.scoreboardIntervalSeconds') ?? 10,
      },
      timeout: { seconds: 60 },
      scope: 'global',
      fn: () => services.scoreboards.recomputeActive(),
    },
    {
      id: 'contest-challenge-resync',
      frequency: {
        seconds:
          config.getOptionalNumber('contest.challengeSyncIntervalSeconds') ??
          60,
      },
      timeout: { seconds: 120 },
      scope: 'global',
      fn: async () => {
        const result = await services.contests.resyncChallenges(load);
        if (result.missing > 0)
          logger.warn(
            'Attached challenges missing or invalid in the catalog',
            result,
          );
      },
    },
  ];
  const demo = readDemoContestConfig(config);
  if (demo) {
    // Development only (app-config.yaml): a running contest with the demo challenges.
    tasks.push({
      id: 'contest-demo-seed',
      frequency: { seconds: 15 },
      timeout: { seconds: 60 },
      initialDelay: { seconds: 5 },
      scope: 'global',
      fn: async () => {
        const result = await ensureDemoContest(services.contests, demo, load);
        if (result.attached.length > 0)
          logger.info('Demo contest challenges attached', result);
      },
    });
  }
  return tasks;
}
