import type { Knex } from 'knex';
import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { ChallengeScoring } from '@flagstage/plugin-challenge-common';
import {
  buildScoreboard,
  challengeValue,
  toCtftimeFeed,
  type Scoreboard,
} from '@flagstage/plugin-contest-common';
import { toBool, toIso } from '../database/rows';

const CACHE_TTL_MS = 24 * 3600 * 1000;
const RECOMPUTE_DEBOUNCE_MS = 250;

type Views = { live: Scoreboard; public: Scoreboard };

/**
 * Computes scoreboards off the request path and keeps them in the cache
 * service: a read is a cache lookup. Recomputed shortly after each solve
 * (debounced) and by a global scheduled task, so several backend replicas
 * agree. The public view stops moving at the freeze time; admins read the
 * live one.
 */
export class ScoreboardService {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Map<string, Promise<Views>>();

  constructor(
    private readonly db: Knex,
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
  ) {}

  private key(contestId: string, view: 'live' | 'public') {
    return `scoreboard:${contestId}:${view}`;
  }

  /** Schedules a recompute soon; many solves in a burst cost one recompute. */
  requestRecompute(contestId: string) {
    if (this.pending.has(contestId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(contestId);
      this.recompute(contestId).catch(e =>
        this.logger.error('Scoreboard recompute failed', {
          contestId,
          error: String(e),
        }),
      );
    }, RECOMPUTE_DEBOUNCE_MS);
    timer.unref?.();
    this.pending.set(contestId, timer);
  }

  /** Recomputes every contest that has not ended more than a day ago. */
  async recomputeActive(now = new Date()) {
    const since = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
    const contests = await this.db('contests')
      .where('ends_at', '>', since)
      .select('id');
    for (const { id } of contests) await this.recompute(id, now);
  }

  async recompute(contestId: string, now = new Date()): Promise<Views> {
    const running = this.inflight.get(contestId);
    if (running) return running;
    const work = this.compute(contestId, now).finally(() =>
      this.inflight.delete(contestId),
    );
    this.inflight.set(contestId, work);
    return work;
  }

  private async compute(contestId: string, now: Date): Promise<Views> {
    const started = process.hrtime.bigint();
    const contest = await this.db('contests').where({ id: contestId }).first();
    if (!contest) throw new Error(`no contest ${contestId}`);
    const [teams, challenges, solves, unlocks] = await Promise.all([
      this.db('teams')
        .where({ contest_id: contestId })
        .select('id', 'name', 'division', 'banned'),
      this.db('contest_challenges')
        .where({ contest_id: contestId })
        .select('id', 'scoring'),
      this.db('solves')
        .where({ contest_id: contestId })
        .orderBy([{ column: 'solved_at' }, { column: 'id' }])
        .select('team_id', 'challenge_id', 'solved_at'),
      this.db('hint_unlocks')
        .join('teams', 'teams.id', 'hint_unlocks.team_id')
        .where('teams.contest_id', contestId)
        .select(
          'hint_unlocks.team_id',
          'hint_unlocks.cost',
          'hint_unlocks.unlocked_at',
        ),
    ]);
    const input = {
      teams: teams.map((t: any) => ({
        id: t.id,
        name: t.name,
        division: t.division,
        banned: toBool(t.banned),
      })),
      challenges: challenges.map((c: any) => ({
        id: c.id,
        scoring: JSON.parse(c.scoring) as ChallengeScoring,
      })),
      solves: solves.map((s: any) => ({
        teamId: s.team_id,
        challengeId: s.challenge_id,
        solvedAt: toIso(s.solved_at)!,
      })),
      penalties: unlocks.map((u: any) => ({
        teamId: u.team_id,
        points: Number(u.cost),
        at: toIso(u.unlocked_at)!,
      })),
    };
    const computedAt = now.toISOString();
    const freezeAt = toIso(contest.freeze_at);
    const live = buildScoreboard({
      ...input,
      contestId,
      computedAt,
      frozen: false,
    });
    const frozen = freezeAt !== null && now.toISOString() >= freezeAt;
    const publicView = frozen
      ? buildScoreboard({
          ...input,
          solves: input.solves.filter(s => s.solvedAt < freezeAt!),
          penalties: input.penalties.filter(p => p.at < freezeAt!),
          contestId,
          computedAt,
          frozen: true,
        })
      : live;
    await Promise.all([
      this.cache.set(this.key(contestId, 'live'), live as any, {
        ttl: CACHE_TTL_MS,
      }),
      this.cache.set(this.key(contestId, 'public'), publicView as any, {
        ttl: CACHE_TTL_MS,
      }),
    ]);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    this.logger.debug('Scoreboard recomputed', {
      contestId,
      teams: teams.length,
      solves: solves.length,
      ms,
    });
    return { live, public: publicView };
  }

  /** A cache lookup; computed once on a cold cache. */
  async read(
    contestId: string,
    options: { live: boolean; division?: string },
  ): Promise<Scoreboard> {
    const view = options.live ? 'live' : 'public';
    let board = (await this.cache.get(this.key(contestId, view))) as
      | Scoreboard
      | undefined;
    if (!board) board = (await this.recompute(contestId))[view];
    if (!options.division) return board;
    const entries = board.entries
      .filter(e => e.division === options.division)
      .map((e, i) => ({ ...e, pos: i + 1 }));
    return { ...board, entries };
  }

  async ctftime(contestId: string) {
    return toCtftimeFeed((await this.read(contestId, { live: false })).entries);
  }

  /** Current value and solve count of each challenge of a contest. */
  async challengeValues(
    contestId: string,
  ): Promise<Map<string, { value: number; solves: number }>> {
    const [challenges, counts] = await Promise.all([
      this.db('contest_challenges')
        .where({ contest_id: contestId })
        .select('id', 'scoring'),
      this.db('solves')
        .where({ contest_id: contestId })
        .groupBy('challenge_id')
        .select('challenge_id')
        .count({ n: '*' }),
    ]);
    const solvesBy = new Map<string, number>(
      counts.map((c: any) => [c.challenge_id, Number(c.n)]),
    );
    const maxSolves = Math.max(1, ...solvesBy.values());
    return new Map(
      challenges.map((c: any) => {
        const solves = solvesBy.get(c.id) ?? 0;
        return [
          c.id,
          {
            value: challengeValue(JSON.parse(c.scoring), solves, { maxSolves }),
            solves,
          },
        ];
      }),
    );
  }

  stop() {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
