import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { testDatabaseEngines } from '@flagstage/test-utils';
import {
  during,
  start,
  useContestWorld,
} from '../../__testUtils__/contestWorld';
import {
  challengeEntity,
  HOUR,
  PLAIN_FLAGS,
  testChallenges,
} from '../../__testUtils__/fixtures';
import { effectiveScoring } from './contestColumns';

// Registrations and logins hash at the production scrypt cost (N=2^17).
jest.setTimeout(60_000);
describe.each(testDatabaseEngines())('ContestAdminService on %s', engine => {
  const world = useContestWorld(engine);

  describe('contests', () => {
    it('validates times and refuses duplicate slugs', async () => {
      await expect(
        world.services.contests.createContest({
          slug: 'bad-times',
          name: 'x',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T09:00:00Z',
        }),
      ).rejects.toThrow(InputError);
      await expect(
        world.services.contests.createContest({
          slug: 'bad-freeze',
          name: 'x',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T12:00:00Z',
          freezeAt: '2026-11-20T13:00:00Z',
        }),
      ).rejects.toThrow(/freezeAt/);
      await expect(
        world.services.contests.createContest({
          slug: 'invite-no-code',
          name: 'x',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T12:00:00Z',
          registration: 'invite',
        }),
      ).rejects.toThrow(/registrationCode/);
      const contest = await world.setup();
      await expect(
        world.services.contests.createContest({
          slug: contest.slug,
          name: 'again',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T12:00:00Z',
        }),
      ).rejects.toThrow(ConflictError);
    });

    it('never returns the flag secret, and keeps one per contest', async () => {
      const a = await world.setup();
      const b = await world.setup();
      expect(JSON.stringify(a)).not.toMatch(/secret/i);
      const rows = await world
        .knex('contests')
        .whereIn('id', [a.id, b.id])
        .select('flag_secret');
      expect(rows[0].flag_secret).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].flag_secret).not.toBe(rows[1].flag_secret);
    });

    it('updates partially and deletes everything in a contest', async () => {
      const contest = await world.setup();
      const updated = await world.services.contests.updateContest(
        contest.slug,
        {
          freezeAt: new Date(start.getTime() + 40 * HOUR).toISOString(),
          scoringDefaults: { minimum: 50 },
        },
      );
      expect(updated.freezeAt).toBe('2026-11-22T02:00:00.000Z');
      expect(updated.startsAt).toBe(contest.startsAt);
      expect(updated.scoringDefaults).toEqual({ minimum: 50 });

      const p = await world.player(contest.slug, 'deleter', 'Deleters');
      await world.services.submissions.submit(
        p.id,
        'warmup',
        PLAIN_FLAGS.warmup,
        during,
      );
      await world.services.contests.deleteContest(contest.slug);
      await expect(
        world.services.contests.contestRow(contest.slug),
      ).rejects.toThrow(NotFoundError);
      for (const table of ['teams', 'contestants', 'solves', 'submissions']) {
        const [{ c }] = await world
          .knex(table)
          .where({ contest_id: contest.id })
          .count({ c: '*' });
        expect({ table, count: Number(c) }).toEqual({ table, count: 0 });
      }
    });
  });

  describe('challenges', () => {
    it('refuses entities that are not valid Challenges', async () => {
      const contest = await world.setup();
      const component = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: {},
      };
      await expect(
        world.services.contests.attachChallenge(contest.slug, component as any),
      ).rejects.toThrow(InputError);
      const broken = challengeEntity('broken', { flags: [] });
      await expect(
        world.services.contests.attachChallenge(contest.slug, broken),
      ).rejects.toThrow(/invalid/);
    });

    it('re-syncs points and metadata from the catalog; solves survive', async () => {
      const contest = await world.setup();
      const p = await world.player(contest.slug, 'syncer', 'Syncers');
      expect(
        (
          await world.services.submissions.submit(
            p.id,
            'warmup',
            PLAIN_FLAGS.warmup,
            during,
          )
        ).outcome,
      ).toBe('correct');
      const changed = challengeEntity('warmup', {
        scoring: { function: 'static', value: 777 },
      });
      changed.metadata.title = 'Renamed';
      const result = await world.services.contests.resyncChallenges(async ref =>
        ref === 'challenge:default/warmup' ? changed : undefined,
      );
      // Other contests' challenges are also attached; only warmups resolve.
      expect(result.updated).toBeGreaterThanOrEqual(1);
      expect(result.missing).toBeGreaterThanOrEqual(3);
      const row = await world.services.contests.challengeByName(
        contest.id,
        'warmup',
      );
      expect(row.title).toBe('Renamed');
      expect(JSON.parse(row.scoring)).toEqual({
        function: 'static',
        value: 777,
      });
      const [{ c }] = await world
        .knex('solves')
        .where({ challenge_id: row.id })
        .count({ c: '*' });
      expect(Number(c)).toBe(1);
      // Re-syncing keeps the admin's visibility choice.
      expect(Boolean(row.hidden)).toBe(false);
    });

    it('hides unreleased and hidden challenges and enforces prerequisites', async () => {
      const contest = await world.setup();
      await world.services.contests.attachChallenge(
        contest.slug,
        testChallenges.pattern,
        {
          releaseAt: new Date(during.getTime() + HOUR).toISOString(),
        },
      );
      await world.services.contests.attachChallenge(
        contest.slug,
        testChallenges.vault,
        {
          hidden: true,
        },
      );
      const p = await world.player(contest.slug, 'gated', 'Gated');
      await expect(
        world.services.submissions.submit(
          p.id,
          'pattern',
          PLAIN_FLAGS.pattern,
          during,
        ),
      ).rejects.toThrow(NotFoundError);
      await expect(
        world.services.submissions.submit(
          p.id,
          'vault',
          'flagstage{x}',
          during,
        ),
      ).rejects.toThrow(NotFoundError);
      expect(
        (
          await world.services.submissions.submit(
            p.id,
            'pattern',
            PLAIN_FLAGS.pattern,
            new Date(during.getTime() + 2 * HOUR),
          )
        ).outcome,
      ).toBe('correct');

      await expect(
        world.services.submissions.submit(
          p.id,
          'finale',
          PLAIN_FLAGS.warmup,
          during,
        ),
      ).rejects.toThrow(/prerequisite/);
      await world.services.submissions.submit(
        p.id,
        'warmup',
        PLAIN_FLAGS.warmup,
        during,
      );
      expect(
        (
          await world.services.submissions.submit(
            p.id,
            'finale',
            PLAIN_FLAGS.warmup,
            during,
          )
        ).outcome,
      ).toBe('correct');
    });

    it('detaches a challenge only while nobody solved it', async () => {
      const contest = await world.setup();
      const p = await world.player(contest.slug, 'detacher', 'Detachers');
      await world.services.submissions.submit(p.id, 'pattern', 'wrong', during);
      await world.services.contests.detachChallenge(contest.slug, 'pattern');
      await expect(
        world.services.contests.challengeByName(contest.id, 'pattern'),
      ).rejects.toThrow(NotFoundError);
      await world.services.submissions.submit(
        p.id,
        'warmup',
        PLAIN_FLAGS.warmup,
        during,
      );
      await expect(
        world.services.contests.detachChallenge(contest.slug, 'warmup'),
      ).rejects.toThrow(ConflictError);
    });

    it('fills parameters the entity leaves out from the contest defaults', () => {
      expect(
        effectiveScoring(
          { function: 'ctfd-linear', initial: 500 },
          { minimum: 100, decay: 20, initial: 1 },
        ),
      ).toEqual({
        function: 'ctfd-linear',
        initial: 500,
        minimum: 100,
        decay: 20,
      });
      expect(effectiveScoring('{"function":"static","value":5}', '{}')).toEqual(
        { function: 'static', value: 5 },
      );
    });
  });

  describe('admin views', () => {
    it('lists the submissions feed, teams by search, announcements and challenge stats', async () => {
      const contest = await world.setup();
      const a = await world.player(contest.slug, 'feeda', 'Red Team');
      const b = await world.player(contest.slug, 'feedb', 'Blue_Team');
      await world.services.submissions.submit(a.id, 'warmup', 'nope', during);
      await world.services.submissions.submit(
        b.id,
        'warmup',
        PLAIN_FLAGS.warmup,
        during,
      );
      await world.services.submissions.submit(
        a.id,
        'warmup',
        PLAIN_FLAGS.warmup,
        new Date(during.getTime() + 1000),
      );
      const feed = await world.services.contests.submissionsFeed(contest.id);
      expect(feed.map(f => [f.team, f.outcome])).toEqual([
        ['Red Team', 'correct'],
        ['Blue_Team', 'correct'],
        ['Red Team', 'incorrect'],
      ]);
      const after = await world.services.contests.submissionsFeed(
        contest.id,
        feed[1].id,
      );
      expect(after.map(f => f.id)).toEqual([feed[0].id]);

      expect(
        (await world.services.contests.listTeams(contest.id, 'blue')).map(
          t => t.name,
        ),
      ).toEqual(['Blue_Team']);
      // LIKE wildcards in the query are literal.
      expect(
        (await world.services.contests.listTeams(contest.id, '_')).map(
          t => t.name,
        ),
      ).toEqual(['Blue_Team']);

      await world.services.contests.announce(contest.id, 'Welcome', 'Have fun');
      await world.services.contests.announce(contest.id, 'Fix', 'warmup fixed');
      expect(
        (await world.services.contests.announcements(contest.id)).map(
          x => x.title,
        ),
      ).toEqual(['Fix', 'Welcome']);

      const stats = await world.services.contests.challengeStats(
        'challenge:default/warmup',
      );
      const mine = stats.find(s => s.contest === contest.slug);
      expect(mine).toEqual({
        contest: contest.slug,
        hidden: false,
        solves: 2,
        attempts: 3,
        firstBlood: { team: 'Blue_Team', at: during.toISOString() },
      });
    });
  });
});
