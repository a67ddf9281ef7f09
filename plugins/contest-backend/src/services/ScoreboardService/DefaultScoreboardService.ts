import { flagstageMetrics } from '@flagstage/plugin-observability-node';
import { randomBytes } from 'node:crypto';
import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { toBool, toIso } from '@flagstage/backend-node';
import {
  toCtftimeFeed,
  type Scoreboard,
  type ScoreboardSolve,
} from '@flagstage/plugin-contest-common';
import type { ContestStores } from '../../database';
import { effectiveScoring } from '../ContestAdminService/contestColumns';
import {
  boardPages,
  buildBoards,
  challengeValues,
  emptyPage,
  publicInput,
  SCOREBOARD_PAGE_SIZE,
  type BoardInput,
} from './boards';
import type {
  BoardQuery,
  ChallengeValues,
  ComputedViews,
  ScoreboardPage,
  ScoreboardService,
} from './types';

const POINTER_TTL_MS = 24 * 3600 * 1000;
const PAGE_TTL_MS = 15 * 60 * 1000;
const RECOMPUTE_DEBOUNCE_MS = 250;
/** Solves are reloaded in full at most this often; in between only new ones are read. */
const FULL_RELOAD_MS = 10 * 60 * 1000;
/** New solves are read from a little before the highest id seen (ids commit out of order). */
const ID_WINDOW = 5000;

type Board = 'live' | 'public';

/** What the pointer key says about the latest computation. */
type Pointer = {
  version: string;
  computedAt: string;
  frozen: boolean;
  /** Total entries per division ('' = all) of each stored board. */
  totals: Record<Board, Record<string, number>>;
};

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
export class DefaultScoreboardService implements ScoreboardService {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Map<string, Promise<ComputedViews>>();
  private readonly queued = new Map<string, Promise<ComputedViews>>();
  private readonly solves = new Map<string, SolveCache>();

  constructor(
    private readonly stores: Pick<
      ContestStores,
      'contests' | 'teams' | 'submissions' | 'hints'
    >,
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
    const ids = await this.stores.contests.contestIdsEndingAfter(since);
    for (const id of ids) await this.recompute(id, now);
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
    const rows = await this.stores.submissions.solvesAfter(
      contestId,
      full ? 0 : Math.max(0, cache!.maxId - ID_WINDOW),
    );
    for (const { id, ...solve } of rows) {
      if (!cache!.byId.has(id)) cache!.byId.set(id, solve);
      if (id > cache!.maxId) cache!.maxId = id;
    }
    this.solves.set(contestId, cache!);
    return [...cache!.byId.values()];
  }

  /** Forgets the in-process solves (e.g. after solves were removed). */
  forgetSolves(contestId: string) {
    this.solves.delete(contestId);
  }

  /** The contest's teams, challenges, solves and hint costs, as the board is built from. */
  private async loadInput(contestId: string) {
    const contest = await this.stores.contests.contestById(contestId);
    if (!contest) throw new Error(`no contest ${contestId}`);
    const [teams, challenges, solves, penalties] = await Promise.all([
      this.stores.teams.boardTeams(contestId),
      this.stores.contests.challengeScorings(contestId),
      this.loadSolves(contestId),
      this.stores.hints.penalties(contestId),
    ]);
    const input: BoardInput = {
      teams: teams.map(t => ({
        id: t.id,
        name: t.name,
        division: t.division,
        banned: toBool(t.banned),
        memberCount: Number(t.member_count),
      })),
      challenges: challenges.map(c => ({
        id: c.id,
        scoring: effectiveScoring(c.scoring, contest.scoring_defaults),
      })),
      solves,
      penalties,
    };
    return { input, freezeAt: toIso(contest.freeze_at) };
  }

  private async compute(contestId: string, now: Date): Promise<ComputedViews> {
    const started = process.hrtime.bigint();
    const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
    const { input, freezeAt } = await this.loadInput(contestId);
    const loadedMs = elapsedMs();
    const computedAt = now.toISOString();
    const boards = buildBoards(input, contestId, computedAt, freezeAt);
    const values = challengeValues(input);
    // What contestants see: values and solve counts from pre-freeze solves once frozen.
    const publicValues = challengeValues({
      ...input,
      solves: publicInput(input, computedAt, freezeAt).input.solves,
    });
    const rankedMs = elapsedMs();
    await this.store(contestId, boards, { values, publicValues }, computedAt);
    const ms = elapsedMs();
    this.logger.debug('Scoreboard recomputed', {
      contestId,
      teams: input.teams.length,
      solves: input.solves.length,
      loadMs: Math.round(loadedMs),
      rankMs: Math.round(rankedMs - loadedMs),
      storeMs: Math.round(ms - rankedMs),
      ms: Math.round(ms),
    });
    return { live: boards.live, public: boards.public, values, publicValues };
  }

  /** Writes every page of every board and division, then the pointer (so readers never mix versions). */
  private async store(
    contestId: string,
    boards: Record<Board, Scoreboard>,
    values: { values: ChallengeValues; publicValues: ChallengeValues },
    computedAt: string,
  ) {
    const version = `${Date.parse(computedAt).toString(36)}${randomBytes(
      3,
    ).toString('hex')}`;
    const writes: Promise<void>[] = [];
    const totals = {} as Pointer['totals'];
    for (const [name, board] of Object.entries(boards) as [
      Board,
      Scoreboard,
    ][]) {
      const split = boardPages(board);
      totals[name] = split.totals;
      for (const { division, page, payload } of split.pages) {
        writes.push(
          this.cache.set(
            this.key(contestId, version, name, division, String(page)),
            JSON.stringify(payload),
            { ttl: PAGE_TTL_MS },
          ),
        );
      }
    }
    writes.push(
      this.cache.set(
        this.key(contestId, version, 'ctftime'),
        JSON.stringify(toCtftimeFeed(boards.public.entries)),
        { ttl: PAGE_TTL_MS },
      ),
      ...(['values', 'publicValues'] as const).map(name =>
        this.cache.set(
          this.key(contestId, name),
          JSON.stringify(Object.fromEntries(values[name])),
          { ttl: POINTER_TTL_MS },
        ),
      ),
    );
    await Promise.all(writes);
    const pointer: Pointer = {
      version,
      computedAt,
      frozen: boards.public.frozen,
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
    options: BoardQuery,
  ): Promise<string | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const pointer = await this.pointer(contestId);
      const board: Board = options.live ? 'live' : 'public';
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
  async read(contestId: string, options: BoardQuery): Promise<ScoreboardPage> {
    const text = await this.readText(contestId, options);
    return text
      ? JSON.parse(text)
      : emptyPage(contestId, options.division, options.page);
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

  /** Current value and solve count of each challenge, from the last computation: live, or as contestants see them. */
  async challengeValues(
    contestId: string,
    view: 'live' | 'public' = 'live',
  ): Promise<ChallengeValues> {
    const name = view === 'live' ? 'values' : 'publicValues';
    const text = (await this.cache.get(this.key(contestId, name))) as
      | string
      | undefined;
    if (!text) {
      const computed = await this.recompute(contestId);
      return computed[name];
    }
    return new Map(Object.entries(JSON.parse(text)));
  }

  stop() {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
