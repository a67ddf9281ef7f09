import type { Knex } from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabase, type TestDatabase } from '@flagstage/test-utils';
import { createContestServices, type ContestServices } from '../services';
import type { ContestInput } from '../services/ContestAdminService/types';
import {
  FIXED_TIME_TEAM_RULES,
  HOUR,
  migratedKnex,
  testChallenges,
} from './fixtures';

export const start = new Date('2026-11-20T10:00:00Z');
export const during = new Date(start.getTime() + HOUR);

/**
 * The services on a migrated test database, rebuilt before each test, with
 * the contests whose score changed recorded in `scoreChanges`. Registers its
 * own beforeAll/afterAll/beforeEach hooks: call it inside a describe.
 */
export function useContestWorld(engine: TestDatabase['engine']) {
  let db: TestDatabase;
  let n = 0;
  const world = {
    knex: undefined as unknown as Knex,
    services: undefined as unknown as ContestServices,
    scoreChanges: [] as string[],
    /** The number of the last contest `setup` created (makes names unique). */
    get n() {
      return n;
    },
    /** A contest running around `during`, with the test challenges visible. */
    async setup(extra: Partial<ContestInput> = {}) {
      n += 1;
      const slug = `contest-${n}`;
      const { contests } = world.services;
      const contest = await contests.createContest({
        slug,
        name: `Contest ${n}`,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 48 * HOUR).toISOString(),
        divisions: ['open', 'student'],
        teamSizeLimit: 3,
        ...extra,
      });
      for (const entity of Object.values(testChallenges)) {
        await contests.attachChallenge(slug, entity, { hidden: false });
      }
      return contest;
    },
    /** A registered contestant, in a new team when `team` names one. */
    async player(slug: string, name: string, team?: string) {
      const { teams } = world.services;
      const me = await teams.register(slug, {
        username: `${name}${n}`,
        password: 'correct horse battery',
      });
      if (team) {
        const created = await teams.createTeam(me.id, { name: team });
        return { id: me.id, teamId: created.id, invite: created.invite_code };
      }
      return { id: me.id, teamId: '', invite: '' };
    },
  };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world.knex = await migratedKnex(db);
  }, 30_000);
  afterAll(async () => {
    if (world.knex !== db?.knex) await world.knex?.destroy();
    await db?.destroy();
  });
  beforeEach(() => {
    world.scoreChanges = [];
    world.services = createContestServices({
      db: world.knex,
      cache: mockServices.cache.mock(),
      logger: mockServices.logger.mock(),
      onScoreChange: id => world.scoreChanges.push(id),
      teamRules: FIXED_TIME_TEAM_RULES,
    });
  });
  return world;
}
