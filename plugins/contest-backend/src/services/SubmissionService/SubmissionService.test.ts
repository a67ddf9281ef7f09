import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import { testDatabaseEngines } from '@flagstage/test-utils';
import {
  during,
  start,
  useContestWorld,
} from '../../__testUtils__/contestWorld';
import { HOUR, PLAIN_FLAGS } from '../../__testUtils__/fixtures';
import { dynamicFlag } from '../flags';
import { TooManySubmissionsError } from './types';

describe.each(testDatabaseEngines())('SubmissionService on %s', engine => {
  const world = useContestWorld(engine);

  describe('submissions', () => {
    it('enforces the contest window and bans', async () => {
      const contest = await world.setup();
      const p = await world.player(contest.slug, 'window', 'Window');
      const counted = async (result: string) =>
        (await flagstageMetrics.submissions().get()).values.find(
          v => v.labels.result === result,
        )?.value ?? 0;
      const closedBefore = await counted('closed');
      const invalidBefore = await counted('invalid');
      await expect(
        world.services.submissions.submit(
          p.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          new Date(start.getTime() - 1000),
        ),
      ).rejects.toThrow(/not running/);
      await expect(
        world.services.submissions.submit(
          p.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          new Date(start.getTime() + 48 * HOUR),
        ),
      ).rejects.toThrow(/not running/);
      // Outside the window counts as closed in flagstage_submissions_total.
      expect(await counted('closed')).toBe(closedBefore + 2);
      await world.services.contests.setBanned(
        contest.id,
        p.teamId,
        true,
        'sharing',
      );
      await expect(
        world.services.submissions.submit(
          p.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          during,
        ),
      ).rejects.toThrow(/banned/);
      expect(await counted('invalid')).toBe(invalidBefore + 1);
      const noTeam = await world.player(contest.slug, 'loner');
      await expect(
        world.services.submissions.submit(
          noTeam.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          during,
        ),
      ).rejects.toThrow(/Join a team/);
    });

    it('checks static, regex (case option) and dynamic flags', async () => {
      const contest = await world.setup();
      const p = await world.player(contest.slug, 'flags', 'Flags');
      const s = (name: string, flag: string) =>
        world.services.submissions
          .submit(p.id, name, flag, during)
          .then(r => r.outcome);
      expect(await s('warmup', `${PLAIN_FLAGS.warmup} `)).toBe('incorrect');
      expect(await s('warmup', PLAIN_FLAGS.warmup)).toBe('correct');
      expect(await s('warmup', PLAIN_FLAGS.warmup)).toBe('already_solved');
      expect(await s('pattern', 'flagstage{regex-}')).toBe('incorrect');
      expect(await s('pattern', 'FlAgStAgE{REGEX-7}')).toBe('correct');
      const secret = (
        await world.knex('contests').where({ id: contest.id }).first()
      ).flag_secret;
      const mine = dynamicFlag(
        secret,
        p.teamId,
        'challenge:default/vault',
        'flagstage',
      );
      expect(
        await world.services.runtime.runtimeFlagFor(
          contest.id,
          p.teamId,
          'vault',
        ),
      ).toBe(mine);
      expect(await s('vault', mine.toUpperCase())).toBe('incorrect');
      expect(await s('vault', mine)).toBe('correct');
      expect(world.scoreChanges).toEqual([contest.id, contest.id, contest.id]);
      const stored = await world
        .knex('submissions')
        .where({ team_id: p.teamId });
      expect(stored).toHaveLength(7);
      expect(JSON.stringify(stored)).not.toContain(PLAIN_FLAGS.warmup);
      expect(JSON.stringify(stored)).not.toContain(mine);
    });

    it('records another team’s dynamic flag as an incident and answers "incorrect"', async () => {
      const contest = await world.setup();
      const owner = await world.player(contest.slug, 'owner', 'Owners');
      const thief = await world.player(contest.slug, 'thief', 'Thieves');
      const ownersFlag = (await world.services.runtime.runtimeFlagFor(
        contest.id,
        owner.teamId,
        'vault',
      ))!;
      expect(
        (
          await world.services.submissions.submit(
            thief.id,
            'vault',
            ownersFlag,
            during,
          )
        ).outcome,
      ).toBe('incorrect');
      // A random flag of the right shape is not an incident.
      expect(
        (
          await world.services.submissions.submit(
            thief.id,
            'vault',
            `flagstage{${'0'.repeat(32)}}`,
            during,
          )
        ).outcome,
      ).toBe('incorrect');
      const incidents = await world.services.contests.incidents(contest.id);
      expect(incidents).toEqual([
        expect.objectContaining({
          submittingTeam: 'Thieves',
          ownerTeam: 'Owners',
          challenge: 'vault',
          contestantId: thief.id,
        }),
      ]);
    });

    it('rate-limits per team and challenge per minute, then allows the next minute', async () => {
      const contest = await world.setup({ submissionRatePerMinute: 3 });
      const p = await world.player(contest.slug, 'rate', 'Rate');
      const minute = new Date('2026-11-20T12:00:05Z');
      for (let i = 0; i < 3; i++)
        await world.services.submissions.submit(
          p.id,
          'warmup',
          `wrong ${i}`,
          minute,
        );
      const error = await world.services.submissions
        .submit(p.id, 'warmup', PLAIN_FLAGS.warmup, minute)
        .catch(e => e);
      expect(error).toBeInstanceOf(TooManySubmissionsError);
      expect(error.retryAfterSeconds).toBe(55);
      // Another challenge has its own budget.
      await world.services.submissions.submit(p.id, 'pattern', 'wrong', minute);
      expect(
        (
          await world.services.submissions.submit(
            p.id,
            'warmup',
            PLAIN_FLAGS.warmup,
            new Date('2026-11-20T12:01:00Z'),
          )
        ).outcome,
      ).toBe('correct');
    });

    it('caps total attempts when the contest sets maxAttempts', async () => {
      const contest = await world.setup({ maxAttempts: 2 });
      const p = await world.player(contest.slug, 'capped', 'Capped');
      await world.services.submissions.submit(p.id, 'warmup', 'a', during);
      await world.services.submissions.submit(
        p.id,
        'warmup',
        'b',
        new Date(during.getTime() + 120_000),
      );
      await expect(
        world.services.submissions.submit(
          p.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          new Date(during.getTime() + 240_000),
        ),
      ).rejects.toThrow(/No attempts left/);
    });
  });
});
