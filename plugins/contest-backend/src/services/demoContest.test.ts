import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createTestDatabase, type TestDatabase } from '@flagstage/test-utils';
import { migratedKnex, testChallenges } from '../__testUtils__/fixtures';
import { createContestServices } from '.';
import type { ContestAdminService } from './ContestAdminService/types';
import { ensureDemoContest, readDemoContestConfig } from './demoContest';

describe('demo contest', () => {
  let db: TestDatabase;
  let contests: ContestAdminService;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    contests = createContestServices({
      db: await migratedKnex(db),
      cache: mockServices.cache.mock(),
      logger: mockServices.logger.mock(),
    }).contests;
  });
  afterAll(() => db.destroy());

  it('reads its config, or nothing when absent', () => {
    expect(readDemoContestConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readDemoContestConfig(
        new ConfigReader({
          contest: { demo: { challenges: ['challenge:default/warmup'] } },
        }),
      ),
    ).toEqual({
      slug: 'demo',
      name: 'Flagstage demo contest',
      challenges: ['challenge:default/warmup'],
    });
  });

  it('creates a running contest, attaches challenges as the catalog gets them, and extends it once ended', async () => {
    const demo = {
      slug: 'demo',
      name: 'Demo',
      challenges: ['challenge:default/warmup', 'challenge:default/pattern'],
    };
    const catalog = new Map<string, any>([
      ['challenge:default/warmup', testChallenges.warmup],
    ]);
    const load = async (ref: string) => catalog.get(ref);
    const now = new Date('2026-11-22T12:00:00Z');

    expect(await ensureDemoContest(contests, demo, load, now)).toEqual({
      attached: ['challenge:default/warmup'],
      pending: ['challenge:default/pattern'],
    });
    const contest = await contests.contestRow('demo');
    expect(new Date(String(contest.starts_at)).getTime()).toBeLessThan(
      now.getTime(),
    );
    expect(new Date(String(contest.ends_at)).getTime()).toBeGreaterThan(
      now.getTime(),
    );

    catalog.set('challenge:default/pattern', testChallenges.pattern);
    expect(await ensureDemoContest(contests, demo, load, now)).toEqual({
      attached: ['challenge:default/pattern'],
      pending: [],
    });
    expect(await ensureDemoContest(contests, demo, load, now)).toEqual({
      attached: [],
      pending: [],
    });
    const rows = await contests.listChallengeRows(contest.id);
    expect(rows.map(r => [r.name, Boolean(r.hidden)])).toEqual([
      ['pattern', false],
      ['warmup', false],
    ]);

    const later = new Date(now.getTime() + 40 * 24 * 3600 * 1000);
    await ensureDemoContest(contests, demo, load, later);
    const extended = await contests.contestRow('demo');
    expect(new Date(String(extended.ends_at)).getTime()).toBeGreaterThan(
      later.getTime(),
    );
  });
});
