import { NotFoundError } from '@backstage/errors';
import { testDatabaseEngines } from '@flagstage/test-utils';
import {
  during,
  start,
  useContestWorld,
} from '../../__testUtils__/contestWorld';
import { HOUR } from '../../__testUtils__/fixtures';

describe.each(testDatabaseEngines())('HintService on %s', engine => {
  const world = useContestWorld(engine);

  describe('hints', () => {
    it('unlocks once per team and charges once', async () => {
      const contest = await world.setup();
      const a = await world.player(contest.slug, 'hinter', 'Hinters');
      const first = await world.services.hints.unlockHint(
        a.id,
        'vault',
        1,
        during,
      );
      expect(first).toEqual({
        title: 'Paid',
        content: 'ids start at zero',
        cost: 25,
        charged: true,
      });
      const again = await world.services.hints.unlockHint(
        a.id,
        'vault',
        1,
        during,
      );
      expect(again.charged).toBe(false);
      await expect(
        world.services.hints.unlockHint(a.id, 'vault', 7, during),
      ).rejects.toThrow(NotFoundError);
      await expect(
        world.services.hints.unlockHint(
          a.id,
          'vault',
          0,
          new Date(start.getTime() + 49 * HOUR),
        ),
      ).rejects.toThrow(/ended/);
      const rows = await world
        .knex('hint_unlocks')
        .where({ team_id: a.teamId });
      expect(rows).toHaveLength(1);
      expect(rows[0].cost).toBe(25);
    });
  });
});
