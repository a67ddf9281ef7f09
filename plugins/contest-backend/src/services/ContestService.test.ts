import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import type { Knex } from 'knex';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import {
  createTestDatabase,
  testDatabaseEngines,
  type TestDatabase,
} from '@flagstage/test-utils';
import {
  challengeEntity,
  HOUR,
  migratedKnex,
  PLAIN_FLAGS,
  testChallenges,
} from '../__testUtils__/fixtures';
import {
  ContestService,
  effectiveScoring,
  TooManySubmissionsError,
} from './ContestService';
import { dynamicFlag } from './flags';

const start = new Date('2026-11-20T10:00:00Z');
const during = new Date(start.getTime() + HOUR);

describe.each(testDatabaseEngines())('ContestService on %s', engine => {
  let db: TestDatabase;
  let knex: Knex;
  let service: ContestService;
  let solvedContests: string[];
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    knex = await migratedKnex(db);
  }, 30_000);
  afterAll(async () => {
    if (knex !== db?.knex) await knex?.destroy();
    await db?.destroy();
  });
  beforeEach(() => {
    solvedContests = [];
    service = new ContestService(knex, mockServices.logger.mock(), id =>
      solvedContests.push(id),
    );
  });

  /** A contest running around `during`, with the test challenges visible. */
  async function setup(
    extra: Partial<Parameters<ContestService['createContest']>[0]> = {},
  ) {
    n += 1;
    const slug = `contest-${n}`;
    const contest = await service.createContest({
      slug,
      name: `Contest ${n}`,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 48 * HOUR).toISOString(),
      divisions: ['open', 'student'],
      teamSizeLimit: 3,
      ...extra,
    });
    for (const entity of Object.values(testChallenges)) {
      await service.attachChallenge(slug, entity, { hidden: false });
    }
    return contest;
  }

  async function player(slug: string, name: string, team?: string) {
    const me = await service.register(slug, {
      username: `${name}${n}`,
      password: 'correct horse battery',
    });
    if (team) {
      const created = await service.createTeam(me.id, { name: team });
      return { id: me.id, teamId: created.id, invite: created.invite_code };
    }
    return { id: me.id, teamId: '', invite: '' };
  }

  describe('contests', () => {
    it('validates times and refuses duplicate slugs', async () => {
      await expect(
        service.createContest({
          slug: 'bad-times',
          name: 'x',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T09:00:00Z',
        }),
      ).rejects.toThrow(InputError);
      await expect(
        service.createContest({
          slug: 'bad-freeze',
          name: 'x',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T12:00:00Z',
          freezeAt: '2026-11-20T13:00:00Z',
        }),
      ).rejects.toThrow(/freezeAt/);
      await expect(
        service.createContest({
          slug: 'invite-no-code',
          name: 'x',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T12:00:00Z',
          registration: 'invite',
        }),
      ).rejects.toThrow(/registrationCode/);
      const contest = await setup();
      await expect(
        service.createContest({
          slug: contest.slug,
          name: 'again',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T12:00:00Z',
        }),
      ).rejects.toThrow(ConflictError);
    });

    it('never returns the flag secret, and keeps one per contest', async () => {
      const a = await setup();
      const b = await setup();
      expect(JSON.stringify(a)).not.toMatch(/secret/i);
      const rows = await knex('contests')
        .whereIn('id', [a.id, b.id])
        .select('flag_secret');
      expect(rows[0].flag_secret).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].flag_secret).not.toBe(rows[1].flag_secret);
    });

    it('updates partially and deletes everything in a contest', async () => {
      const contest = await setup();
      const updated = await service.updateContest(contest.slug, {
        freezeAt: new Date(start.getTime() + 40 * HOUR).toISOString(),
        scoringDefaults: { minimum: 50 },
      });
      expect(updated.freezeAt).toBe('2026-11-22T02:00:00.000Z');
      expect(updated.startsAt).toBe(contest.startsAt);
      expect(updated.scoringDefaults).toEqual({ minimum: 50 });

      const p = await player(contest.slug, 'deleter', 'Deleters');
      await service.submit(p.id, 'warmup', PLAIN_FLAGS.warmup, during);
      await service.deleteContest(contest.slug);
      await expect(service.contestRow(contest.slug)).rejects.toThrow(
        NotFoundError,
      );
      for (const table of ['teams', 'contestants', 'solves', 'submissions']) {
        const [{ c }] = await knex(table)
          .where({ contest_id: contest.id })
          .count({ c: '*' });
        expect({ table, count: Number(c) }).toEqual({ table, count: 0 });
      }
    });
  });

  describe('challenges', () => {
    it('refuses entities that are not valid Challenges', async () => {
      const contest = await setup();
      const component = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: {},
      };
      await expect(
        service.attachChallenge(contest.slug, component as any),
      ).rejects.toThrow(InputError);
      const broken = challengeEntity('broken', { flags: [] });
      await expect(
        service.attachChallenge(contest.slug, broken),
      ).rejects.toThrow(/invalid/);
    });

    it('re-syncs points and metadata from the catalog; solves survive', async () => {
      const contest = await setup();
      const p = await player(contest.slug, 'syncer', 'Syncers');
      expect(
        (await service.submit(p.id, 'warmup', PLAIN_FLAGS.warmup, during))
          .outcome,
      ).toBe('correct');
      const changed = challengeEntity('warmup', {
        scoring: { function: 'static', value: 777 },
      });
      changed.metadata.title = 'Renamed';
      const result = await service.resyncChallenges(async ref =>
        ref === 'challenge:default/warmup' ? changed : undefined,
      );
      // Other contests' challenges are also attached; only warmups resolve.
      expect(result.updated).toBeGreaterThanOrEqual(1);
      expect(result.missing).toBeGreaterThanOrEqual(3);
      const row = await service.challengeByName(contest.id, 'warmup');
      expect(row.title).toBe('Renamed');
      expect(JSON.parse(row.scoring)).toEqual({
        function: 'static',
        value: 777,
      });
      const [{ c }] = await knex('solves')
        .where({ challenge_id: row.id })
        .count({ c: '*' });
      expect(Number(c)).toBe(1);
      // Re-syncing keeps the admin's visibility choice.
      expect(Boolean(row.hidden)).toBe(false);
    });

    it('hides unreleased and hidden challenges and enforces prerequisites', async () => {
      const contest = await setup();
      await service.attachChallenge(contest.slug, testChallenges.pattern, {
        releaseAt: new Date(during.getTime() + HOUR).toISOString(),
      });
      await service.attachChallenge(contest.slug, testChallenges.vault, {
        hidden: true,
      });
      const p = await player(contest.slug, 'gated', 'Gated');
      await expect(
        service.submit(p.id, 'pattern', PLAIN_FLAGS.pattern, during),
      ).rejects.toThrow(NotFoundError);
      await expect(
        service.submit(p.id, 'vault', 'flagstage{x}', during),
      ).rejects.toThrow(NotFoundError);
      expect(
        (
          await service.submit(
            p.id,
            'pattern',
            PLAIN_FLAGS.pattern,
            new Date(during.getTime() + 2 * HOUR),
          )
        ).outcome,
      ).toBe('correct');

      await expect(
        service.submit(p.id, 'finale', PLAIN_FLAGS.warmup, during),
      ).rejects.toThrow(/prerequisite/);
      await service.submit(p.id, 'warmup', PLAIN_FLAGS.warmup, during);
      expect(
        (await service.submit(p.id, 'finale', PLAIN_FLAGS.warmup, during))
          .outcome,
      ).toBe('correct');
    });

    it('detaches a challenge only while nobody solved it', async () => {
      const contest = await setup();
      const p = await player(contest.slug, 'detacher', 'Detachers');
      await service.submit(p.id, 'pattern', 'wrong', during);
      await service.detachChallenge(contest.slug, 'pattern');
      await expect(
        service.challengeByName(contest.id, 'pattern'),
      ).rejects.toThrow(NotFoundError);
      await service.submit(p.id, 'warmup', PLAIN_FLAGS.warmup, during);
      await expect(
        service.detachChallenge(contest.slug, 'warmup'),
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

  describe('contestants and teams', () => {
    it('registers, refuses duplicate names, and authenticates', async () => {
      const contest = await setup();
      await service.register(contest.slug, {
        username: 'Alice',
        password: 'correct horse battery',
      });
      await expect(
        service.register(contest.slug, {
          username: 'alice',
          password: 'another long password',
        }),
      ).rejects.toThrow(ConflictError);
      const row = await knex('contestants')
        .where({ contest_id: contest.id, username_key: 'alice' })
        .first();
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain('correct horse');
      await expect(
        service.authenticate(contest.slug, 'ALICE', 'correct horse battery'),
      ).resolves.toMatchObject({ username: 'Alice' });
      await expect(
        service.authenticate(contest.slug, 'alice', 'wrong password!'),
      ).rejects.toThrow('Wrong username or password');
      await expect(
        service.authenticate(contest.slug, 'nobody', 'whatever pass'),
      ).rejects.toThrow('Wrong username or password');
    });

    it('honours closed and invite-only registration', async () => {
      const closed = await setup({ registration: 'closed' });
      await expect(
        service.register(closed.slug, {
          username: 'x1',
          password: 'long enough pw',
        }),
      ).rejects.toThrow(NotAllowedError);
      const invite = await setup({
        registration: 'invite',
        registrationCode: 'let-me-in-please',
      });
      await expect(
        service.register(invite.slug, {
          username: 'x2',
          password: 'long enough pw',
          registrationCode: 'nope-nope-nope',
        }),
      ).rejects.toThrow(NotAllowedError);
      await expect(
        service.register(invite.slug, {
          username: 'x3',
          password: 'long enough pw',
          registrationCode: 'let-me-in-please',
        }),
      ).resolves.toMatchObject({ username: 'x3' });
    });

    it('creates, joins by invite code, holds the size limit, and leaves', async () => {
      const contest = await setup({ teamSizeLimit: 2 });
      const a = await player(contest.slug, 'a', 'Alpha');
      const b = await player(contest.slug, 'b');
      const c = await player(contest.slug, 'c');
      await expect(player(contest.slug, 'a2', 'ALPHA')).rejects.toThrow(
        /team name is taken/,
      );
      await expect(
        service.createTeam(a.id, { name: 'Second' }),
      ).rejects.toThrow(/already in a team/);
      await expect(
        service.createTeam(b.id, { name: 'Bad division', division: 'pro' }),
      ).rejects.toThrow(InputError);
      await service.joinTeam(b.id, a.invite);
      await expect(service.joinTeam(c.id, a.invite)).rejects.toThrow(/full/);
      await expect(service.joinTeam(c.id, 'no-such-invite')).rejects.toThrow(
        NotFoundError,
      );
      await service.leaveTeam(b.id);
      await service.joinTeam(c.id, a.invite);
      expect((await service.team(a.teamId)).member_count).toBe(2);
      // Once the team has solves, nobody leaves (points would follow them).
      await service.submit(c.id, 'warmup', PLAIN_FLAGS.warmup, during);
      await expect(service.leaveTeam(c.id)).rejects.toThrow(/solves/);
    });
  });

  describe('submissions', () => {
    it('enforces the contest window and bans', async () => {
      const contest = await setup();
      const p = await player(contest.slug, 'window', 'Window');
      const counted = async (result: string) =>
        (await flagstageMetrics.submissions().get()).values.find(
          v => v.labels.result === result,
        )?.value ?? 0;
      const closedBefore = await counted('closed');
      const invalidBefore = await counted('invalid');
      await expect(
        service.submit(
          p.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          new Date(start.getTime() - 1000),
        ),
      ).rejects.toThrow(/not running/);
      await expect(
        service.submit(
          p.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          new Date(start.getTime() + 48 * HOUR),
        ),
      ).rejects.toThrow(/not running/);
      // Outside the window counts as closed in flagstage_submissions_total.
      expect(await counted('closed')).toBe(closedBefore + 2);
      await service.setBanned(contest.id, p.teamId, true, 'sharing');
      await expect(
        service.submit(p.id, 'warmup', PLAIN_FLAGS.warmup, during),
      ).rejects.toThrow(/banned/);
      expect(await counted('invalid')).toBe(invalidBefore + 1);
      const noTeam = await player(contest.slug, 'loner');
      await expect(
        service.submit(noTeam.id, 'warmup', PLAIN_FLAGS.warmup, during),
      ).rejects.toThrow(/Join a team/);
    });

    it('checks static, regex (case option) and dynamic flags', async () => {
      const contest = await setup();
      const p = await player(contest.slug, 'flags', 'Flags');
      const s = (name: string, flag: string) =>
        service.submit(p.id, name, flag, during).then(r => r.outcome);
      expect(await s('warmup', `${PLAIN_FLAGS.warmup} `)).toBe('incorrect');
      expect(await s('warmup', PLAIN_FLAGS.warmup)).toBe('correct');
      expect(await s('warmup', PLAIN_FLAGS.warmup)).toBe('already_solved');
      expect(await s('pattern', 'flagstage{regex-}')).toBe('incorrect');
      expect(await s('pattern', 'FlAgStAgE{REGEX-7}')).toBe('correct');
      const secret = (await knex('contests').where({ id: contest.id }).first())
        .flag_secret;
      const mine = dynamicFlag(
        secret,
        p.teamId,
        'challenge:default/vault',
        'flagstage',
      );
      expect(await service.runtimeFlagFor(contest.id, p.teamId, 'vault')).toBe(
        mine,
      );
      expect(await s('vault', mine.toUpperCase())).toBe('incorrect');
      expect(await s('vault', mine)).toBe('correct');
      expect(solvedContests).toEqual([contest.id, contest.id, contest.id]);
      const stored = await knex('submissions').where({ team_id: p.teamId });
      expect(stored).toHaveLength(7);
      expect(JSON.stringify(stored)).not.toContain(PLAIN_FLAGS.warmup);
      expect(JSON.stringify(stored)).not.toContain(mine);
    });

    it('records another team’s dynamic flag as an incident and answers "incorrect"', async () => {
      const contest = await setup();
      const owner = await player(contest.slug, 'owner', 'Owners');
      const thief = await player(contest.slug, 'thief', 'Thieves');
      const ownersFlag = (await service.runtimeFlagFor(
        contest.id,
        owner.teamId,
        'vault',
      ))!;
      expect(
        (await service.submit(thief.id, 'vault', ownersFlag, during)).outcome,
      ).toBe('incorrect');
      // A random flag of the right shape is not an incident.
      expect(
        (
          await service.submit(
            thief.id,
            'vault',
            `flagstage{${'0'.repeat(32)}}`,
            during,
          )
        ).outcome,
      ).toBe('incorrect');
      const incidents = await service.incidents(contest.id);
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
      const contest = await setup({ submissionRatePerMinute: 3 });
      const p = await player(contest.slug, 'rate', 'Rate');
      const minute = new Date('2026-11-20T12:00:05Z');
      for (let i = 0; i < 3; i++)
        await service.submit(p.id, 'warmup', `wrong ${i}`, minute);
      const error = await service
        .submit(p.id, 'warmup', PLAIN_FLAGS.warmup, minute)
        .catch(e => e);
      expect(error).toBeInstanceOf(TooManySubmissionsError);
      expect(error.retryAfterSeconds).toBe(55);
      // Another challenge has its own budget.
      await service.submit(p.id, 'pattern', 'wrong', minute);
      expect(
        (
          await service.submit(
            p.id,
            'warmup',
            PLAIN_FLAGS.warmup,
            new Date('2026-11-20T12:01:00Z'),
          )
        ).outcome,
      ).toBe('correct');
    });

    it('caps total attempts when the contest sets maxAttempts', async () => {
      const contest = await setup({ maxAttempts: 2 });
      const p = await player(contest.slug, 'capped', 'Capped');
      await service.submit(p.id, 'warmup', 'a', during);
      await service.submit(
        p.id,
        'warmup',
        'b',
        new Date(during.getTime() + 120_000),
      );
      await expect(
        service.submit(
          p.id,
          'warmup',
          PLAIN_FLAGS.warmup,
          new Date(during.getTime() + 240_000),
        ),
      ).rejects.toThrow(/No attempts left/);
    });
  });

  describe('hints', () => {
    it('unlocks once per team and charges once', async () => {
      const contest = await setup();
      const a = await player(contest.slug, 'hinter', 'Hinters');
      const first = await service.unlockHint(a.id, 'vault', 1, during);
      expect(first).toEqual({
        title: 'Paid',
        content: 'ids start at zero',
        cost: 25,
        charged: true,
      });
      const again = await service.unlockHint(a.id, 'vault', 1, during);
      expect(again.charged).toBe(false);
      await expect(
        service.unlockHint(a.id, 'vault', 7, during),
      ).rejects.toThrow(NotFoundError);
      await expect(
        service.unlockHint(
          a.id,
          'vault',
          0,
          new Date(start.getTime() + 49 * HOUR),
        ),
      ).rejects.toThrow(/ended/);
      const rows = await knex('hint_unlocks').where({ team_id: a.teamId });
      expect(rows).toHaveLength(1);
      expect(rows[0].cost).toBe(25);
    });
  });

  describe('admin views', () => {
    it('lists the submissions feed, teams by search, announcements and challenge stats', async () => {
      const contest = await setup();
      const a = await player(contest.slug, 'feeda', 'Red Team');
      const b = await player(contest.slug, 'feedb', 'Blue_Team');
      await service.submit(a.id, 'warmup', 'nope', during);
      await service.submit(b.id, 'warmup', PLAIN_FLAGS.warmup, during);
      await service.submit(
        a.id,
        'warmup',
        PLAIN_FLAGS.warmup,
        new Date(during.getTime() + 1000),
      );
      const feed = await service.submissionsFeed(contest.id);
      expect(feed.map(f => [f.team, f.outcome])).toEqual([
        ['Red Team', 'correct'],
        ['Blue_Team', 'correct'],
        ['Red Team', 'incorrect'],
      ]);
      const after = await service.submissionsFeed(contest.id, feed[1].id);
      expect(after.map(f => f.id)).toEqual([feed[0].id]);

      expect(
        (await service.listTeams(contest.id, 'blue')).map(t => t.name),
      ).toEqual(['Blue_Team']);
      // LIKE wildcards in the query are literal.
      expect(
        (await service.listTeams(contest.id, '_')).map(t => t.name),
      ).toEqual(['Blue_Team']);

      await service.announce(contest.id, 'Welcome', 'Have fun');
      await service.announce(contest.id, 'Fix', 'warmup fixed');
      expect(
        (await service.announcements(contest.id)).map(x => x.title),
      ).toEqual(['Fix', 'Welcome']);

      const stats = await service.challengeStats('challenge:default/warmup');
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
