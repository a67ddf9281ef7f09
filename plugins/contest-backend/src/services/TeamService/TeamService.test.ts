import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { testDatabaseEngines } from '@flagstage/test-utils';
import { during, useContestWorld } from '../../__testUtils__/contestWorld';
import { PLAIN_FLAGS } from '../../__testUtils__/fixtures';
import { hashPassword, needsRehash, verifyPassword } from '../passwords';

// Registrations and logins hash at the production scrypt cost (N=2^17).
jest.setTimeout(60_000);
describe.each(testDatabaseEngines())('TeamService on %s', engine => {
  const world = useContestWorld(engine);

  describe('contestants and teams', () => {
    it('rehashes a password stored at an older scrypt cost on a successful login', async () => {
      const contest = await world.setup();
      const me = await world.services.teams.register(contest.slug, {
        username: 'oldhash',
        password: 'correct horse battery',
      });
      const old = await hashPassword('correct horse battery', {
        N: 2 ** 14,
        r: 8,
        p: 1,
      });
      await world
        .knex('contestants')
        .where({ id: me.id })
        .update({ password_hash: old });
      expect(await verifyPassword('correct horse battery', old)).toBe(true);
      expect(needsRehash(old)).toBe(true);
      await world.services.teams.authenticate(
        contest.slug,
        'oldhash',
        'correct horse battery',
      );
      const { password_hash: upgraded } = await world
        .knex('contestants')
        .where({ id: me.id })
        .first();
      expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect(needsRehash(upgraded)).toBe(false);
      expect(await verifyPassword('correct horse battery', upgraded)).toBe(
        true,
      );
      expect(await verifyPassword('wrong password!!', upgraded)).toBe(false);
    });

    it('registers, refuses duplicate names, and authenticates', async () => {
      const contest = await world.setup();
      await world.services.teams.register(contest.slug, {
        username: 'Alice',
        password: 'correct horse battery',
      });
      await expect(
        world.services.teams.register(contest.slug, {
          username: 'alice',
          password: 'another long password',
        }),
      ).rejects.toThrow(ConflictError);
      const row = await world
        .knex('contestants')
        .where({ contest_id: contest.id, username_key: 'alice' })
        .first();
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain('correct horse');
      await expect(
        world.services.teams.authenticate(
          contest.slug,
          'ALICE',
          'correct horse battery',
        ),
      ).resolves.toMatchObject({ username: 'Alice' });
      await expect(
        world.services.teams.authenticate(
          contest.slug,
          'alice',
          'wrong password!',
        ),
      ).rejects.toThrow('Wrong username or password');
      await expect(
        world.services.teams.authenticate(
          contest.slug,
          'nobody',
          'whatever pass',
        ),
      ).rejects.toThrow('Wrong username or password');
    });

    it('honours closed and invite-only registration', async () => {
      const closed = await world.setup({ registration: 'closed' });
      await expect(
        world.services.teams.register(closed.slug, {
          username: 'x1',
          password: 'long enough pw',
        }),
      ).rejects.toThrow(NotAllowedError);
      const invite = await world.setup({
        registration: 'invite',
        registrationCode: 'let-me-in-please',
      });
      await expect(
        world.services.teams.register(invite.slug, {
          username: 'x2',
          password: 'long enough pw',
          registrationCode: 'nope-nope-nope',
        }),
      ).rejects.toThrow(NotAllowedError);
      await expect(
        world.services.teams.register(invite.slug, {
          username: 'x3',
          password: 'long enough pw',
          registrationCode: 'let-me-in-please',
        }),
      ).resolves.toMatchObject({ username: 'x3' });
    });

    it('creates, joins by invite code, holds the size limit, and leaves', async () => {
      const contest = await world.setup({ teamSizeLimit: 2 });
      const a = await world.player(contest.slug, 'a', 'Alpha');
      const b = await world.player(contest.slug, 'b');
      const c = await world.player(contest.slug, 'c');
      await expect(world.player(contest.slug, 'a2', 'ALPHA')).rejects.toThrow(
        /team name is taken/,
      );
      await expect(
        world.services.teams.createTeam(a.id, { name: 'Second' }),
      ).rejects.toThrow(/already in a team/);
      await expect(
        world.services.teams.createTeam(b.id, {
          name: 'Bad division',
          division: 'pro',
        }),
      ).rejects.toThrow(InputError);
      await world.services.teams.joinTeam(b.id, a.invite);
      await expect(
        world.services.teams.joinTeam(c.id, a.invite),
      ).rejects.toThrow(/full/);
      await expect(
        world.services.teams.joinTeam(c.id, 'no-such-invite'),
      ).rejects.toThrow(NotFoundError);
      await world.services.teams.leaveTeam(b.id);
      await world.services.teams.joinTeam(c.id, a.invite);
      expect((await world.services.teams.team(a.teamId)).member_count).toBe(2);
      // Once the team has solves, nobody leaves (points would follow them).
      await world.services.submissions.submit(
        c.id,
        'warmup',
        PLAIN_FLAGS.warmup,
        during,
      );
      await expect(world.services.teams.leaveTeam(c.id)).rejects.toThrow(
        /solves/,
      );
    });
  });
});
