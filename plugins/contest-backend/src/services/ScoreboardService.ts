import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  buildScoreboard,
  challengeValue,
  toCtftimeFeed,
  type Scoreboard,
  type ScoreboardSolve,
} from '@flagstage/plugin-contest-common';
import { toBool, toIso } from '../database/rows';
import { effectiveScoring } from './ContestService';

/** Entries per stored page (what one read returns). */
export const SCOREBOARD_PAGE_SIZE = 100;
const POINTER_TTL_MS = 24 * 3600 * 1000;
const PAGE_TTL_MS = 15 * 60 * 1000;
const RECOMPUTE_DEBOUNCE_MS = 250;
/** Solves are reloaded in full at most this often; in between only new ones are read. */
const FULL_RELOAD_MS = 10 * 60 * 1000;
/** New solves are read from a little before the highest id seen (ids commit out of order). */
const ID_WINDOW = 5000;

type Board = 'live' | 'frozen';

/** What the pointer key says about the latest computation. */
type Pointer = {
  version: string;
  computedAt: string;
  frozen: boolean;
  /** Total entries per division ('' = all) of each stored board. */
  totals: Record<Board, Record<string, number>>;
};

/** One page of a scoreboard as the API returns it. */
export type ScoreboardPage = Scoreboard & {
  division: string | null;
  page: number;
  pageSize: number;
  pages: number;
  total: number;
};

export type ChallengeValues = Map<string, { value: number; solves: number }>;

type SolveCache = {
  byId: Map<number, ScoreboardSolve>;
  maxId: number;
  loadedAt: number;
};

/**
 * Computes scoreboards off the request path and stores them in the cache
 * service as ready-to-send JSON pages (per board, per division), plus the
 * CTFtime feed and the challenge values: a read is one or two cache lookups
 * and no parsing. Recomputed shortly after each change (debounced) and by a
 * global scheduled task. After the freeze time the public board is the one
 * frozen at `freezeAt`; admins read the live one. Solves are kept in process
 * and read incrementally from the database between full reloads.
 */
export class ScoreboardService {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Map<string, Promise<ComputedViews>>();
  private readonly queued = new Map<string, Promise<ComputedViews>>();
  private readonly solves = new Map<string, SolveCache>();

  constructor(
    private readonly db: Knex,
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
  ) {}

  private key(contestId: string, ...parts: string[]) {
    return ['scoreboard', contestId, ...parts].join(':');
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

  /**
   * Computes and stores the boards. One computation per contest runs at a
   * time; a request arriving while one runs may carry changes it missed, so
   * it queues exactly one more (requests during that wait share it).
   */
  recompute(contestId: string, now?: Date): Promise<ComputedViews> {
    const running = this.inflight.get(contestId);
    if (running) {
      let queued = this.queued.get(contestId);
      if (!queued) {
        queued = running
          .catch(() => undefined)
          .then(() => {
            this.queued.delete(contestId);
            return this.recompute(contestId, now);
          });
        this.queued.set(contestId, queued);
      }
      return queued;
    }
    const started = performance.now();
    const work = this.compute(contestId, now ?? new Date())
      .then(views => {
        flagstageMetrics
          .scoreboardRecompute()
          .observe((performance.now() - started) / 1000);
        flagstageMetrics.scoreboardLastUpdate().set(Date.now() / 1000);
        return views;
      })
      .finally(() => this.inflight.delete(contestId));
    this.inflight.set(contestId, work);
    return work;
  }

  /** The contest's solves: all of them on first use and every few minutes, else only new ones. */
  private async loadSolves(contestId: string): Promise<ScoreboardSolve[]> {
    let cache = this.solves.get(contestId);
    const full = !cache || Date.now() - cache.loadedAt > FULL_RELOAD_MS;
    if (full) cache = { byId: new Map(), maxId: 0, loadedAt: Date.now() };
    const rows = await this.db('solves')
      .where({ contest_id: contestId })
      .andWhere('id', '>', full ? 0 : Math.max(0, cache!.maxId - ID_WINDOW))
      .orderBy('id')
      .select('id', 'team_id', 'challenge_id', 'solved_at');
    for (const r of rows) {
      const id = Number(r.id);
      if (!cache!.byId.has(id))
        cache!.byId.set(id, {
          teamId: r.team_id,
          challengeId: r.challenge_id,
          solvedAt: toIso(r.solved_at)!,
        });
      if (id > cache!.maxId) cache!.maxId = id;
    }
    this.solves.set(contestId, cache!);
    return [...cache!.byId.values()];
  }

  /** Forgets the in-process solves (e.g. after solves were removed). */
  forgetSolves(contestId: string) {
    this.solves.delete(contestId);
  }

  private async compute(contestId: string, now: Date): Promise<ComputedViews> {
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
      this.loadSolves(contestId),
      this.db('hint_unlocks')
        .join('teams', 'teams.id', 'hint_unlocks.team_id')
        .where('teams.contest_id', contestId)
        .select(
          'hint_unlocks.team_id',
          'hint_unlocks.cost',
          'hint_unlocks.unlocked_at',
        ),
    ]);
    const loadedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const input = {
      teams: teams.map((t: any) => ({
        id: t.id,
        name: t.name,
        division: t.division,
        banned: toBool(t.banned),
      })),
      challenges: challenges.map((c: any) => ({
        id: c.id,
        scoring: effectiveScoring(c.scoring, contest.scoring_defaults),
      })),
      solves,
      penalties: unlocks.map((u: any) => ({
        teamId: u.team_id,
        points: Number(u.cost),
        at: toIso(u.unlocked_at)!,
      })),
    };
    const computedAt = now.toISOString();
    const freezeAt = toIso(contest.freeze_at);
    const frozen = freezeAt !== null && computedAt >= freezeAt;
    const live = buildScoreboard({
      ...input,
      contestId,
      computedAt,
      frozen: false,
    });
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
    const values = this.values(input);
    const rankedMs = Number(process.hrtime.bigint() - started) / 1e6;
    await this.store(
      contestId,
      { live, frozen: frozen ? publicView : undefined },
      values,
      computedAt,
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    this.logger.debug('Scoreboard recomputed', {
      contestId,
      teams: teams.length,
      solves: solves.length,
      loadMs: Math.round(loadedMs),
      rankMs: Math.round(rankedMs - loadedMs),
      storeMs: Math.round(ms - rankedMs),
      ms: Math.round(ms),
    });
    return { live, public: publicView, values };
  }

  /** Current value and counted solves of each challenge (banned teams' solves do not count). */
  private values(input: {
    teams: { id: string; banned: boolean }[];
    challenges: { id: string; scoring: any }[];
    solves: ScoreboardSolve[];
  }): ChallengeValues {
    // Solves are unique per (team, challenge) in the database: count, skipping banned teams.
    const banned = new Set(input.teams.filter(t => t.banned).map(t => t.id));
    const counts = new Map<string, number>();
    for (const s of input.solves) {
      if (banned.size > 0 && banned.has(s.teamId)) continue;
      counts.set(s.challengeId, (counts.get(s.challengeId) ?? 0) + 1);
    }
    const maxSolves = Math.max(1, ...counts.values());
    return new Map(
      input.challenges.map(c => {
        const solves = counts.get(c.id) ?? 0;
        return [
          c.id,
          { value: challengeValue(c.scoring, solves, { maxSolves }), solves },
        ];
      }),
    );
  }

  /** Writes every page of every board and division, then the pointer (so readers never mix versions). */
  private async store(
    contestId: string,
    boards: { live: Scoreboard; frozen?: Scoreboard },
    values: ChallengeValues,
    computedAt: string,
  ) {
    const version = `${Date.parse(computedAt).toString(36)}${randomBytes(
      3,
    ).toString('hex')}`;
    const writes: Promise<void>[] = [];
    const totals = {} as Pointer['totals'];
    for (const [name, board] of Object.entries(boards) as [
      Board,
      Scoreboard | undefined,
    ][]) {
      if (!board) continue;
      totals[name] = {};
      const divisions = new Map<string, Scoreboard['entries']>([
        ['', board.entries],
      ]);
      for (const e of board.entries) {
        if (!e.division) continue;
        const list = divisions.get(e.division) ?? [];
        list.push({ ...e, pos: list.length + 1 });
        divisions.set(e.division, list);
      }
      for (const [division, entries] of divisions) {
        totals[name][division] = entries.length;
        const pages = Math.max(
          1,
          Math.ceil(entries.length / SCOREBOARD_PAGE_SIZE),
        );
        for (let page = 1; page <= pages; page++) {
          const payload: ScoreboardPage = {
            contestId: board.contestId,
            frozen: board.frozen,
            computedAt: board.computedAt,
            division: division || null,
            page,
            pageSize: SCOREBOARD_PAGE_SIZE,
            pages,
            total: entries.length,
            entries: entries.slice(
              (page - 1) * SCOREBOARD_PAGE_SIZE,
              page * SCOREBOARD_PAGE_SIZE,
            ),
            top10Series: page === 1 ? board.top10Series : [],
          };
          writes.push(
            this.cache.set(
              this.key(contestId, version, name, division, String(page)),
              JSON.stringify(payload),
              { ttl: PAGE_TTL_MS },
            ),
          );
        }
      }
    }
    const publicBoard = boards.frozen ?? boards.live;
    writes.push(
      this.cache.set(
        this.key(contestId, version, 'ctftime'),
        JSON.stringify(toCtftimeFeed(publicBoard.entries)),
        { ttl: PAGE_TTL_MS },
      ),
      this.cache.set(
        this.key(contestId, 'values'),
        JSON.stringify(Object.fromEntries(values)),
        { ttl: POINTER_TTL_MS },
      ),
    );
    await Promise.all(writes);
    const pointer: Pointer = {
      version,
      computedAt,
      frozen: Boolean(boards.frozen),
      totals,
    };
    await this.cache.set(
      this.key(contestId, 'current'),
      JSON.stringify(pointer),
      { ttl: POINTER_TTL_MS },
    );
  }

  private async pointer(contestId: string): Promise<Pointer> {
    const text = (await this.cache.get(this.key(contestId, 'current'))) as
      | string
      | undefined;
    if (text) return JSON.parse(text);
    await this.recompute(contestId);
    return JSON.parse(
      (await this.cache.get(this.key(contestId, 'current'))) as string,
    );
  }

  /**
   * One page of a board as JSON text, ready to send: two cache lookups. The
   * public view is the frozen board after the freeze; `live` is the admins'.
   */
  async readText(
    contestId: string,
    options: { live: boolean; division?: string; page?: number },
  ): Promise<string | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const pointer = await this.pointer(contestId);
      const board: Board = !options.live && pointer.frozen ? 'frozen' : 'live';
      const division = options.division ?? '';
      const total = pointer.totals[board]?.[division];
      if (total === undefined && division) return undefined; // no such division
      const page = Math.max(1, Math.floor(options.page ?? 1));
      const text = (await this.cache.get(
        this.key(contestId, pointer.version, board, division, String(page)),
      )) as string | undefined;
      if (text) return text;
      if (page > Math.max(1, Math.ceil((total ?? 0) / SCOREBOARD_PAGE_SIZE)))
        return undefined;
      // Pages expired (no recompute for a while): compute again, once.
      await this.recompute(contestId);
    }
    return undefined;
  }

  /** The same page, parsed (for callers that need the object). */
  async read(
    contestId: string,
    options: { live: boolean; division?: string; page?: number },
  ): Promise<ScoreboardPage> {
    const text = await this.readText(contestId, options);
    if (!text) {
      return {
        contestId,
        frozen: false,
        computedAt: new Date().toISOString(),
        division: options.division ?? null,
        page: options.page ?? 1,
        pageSize: SCOREBOARD_PAGE_SIZE,
        pages: 0,
        total: 0,
        entries: [],
        top10Series: [],
      };
    }
    return JSON.parse(text);
  }

  /** The CTFtime feed of the public board as JSON text. */
  async ctftimeText(contestId: string): Promise<string> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const pointer = await this.pointer(contestId);
      const text = (await this.cache.get(
        this.key(contestId, pointer.version, 'ctftime'),
      )) as string | undefined;
      if (text) return text;
      await this.recompute(contestId);
    }
    return '{"standings":[]}';
  }

  async ctftime(contestId: string) {
    return JSON.parse(await this.ctftimeText(contestId));
  }

  /** Current value and solve count of each challenge, from the last computation. */
  async challengeValues(contestId: string): Promise<ChallengeValues> {
    const text = (await this.cache.get(this.key(contestId, 'values'))) as
      | string
      | undefined;
    if (!text) {
      const computed = await this.recompute(contestId);
      return computed.values;
    }
    return new Map(Object.entries(JSON.parse(text)));
  }

  stop() {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}

/** What a computation produced (also written to the cache). */
export type ComputedViews = {
  live: Scoreboard;
  public: Scoreboard;
  values: ChallengeValues;
};
