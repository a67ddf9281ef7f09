import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import { toBool, toIso } from '@flagstage/backend-node';
import type { ContestStores } from '../../database';
import type { ContestChallengeRow } from '../../database/rows';
import type { ChallengeCache } from '../ChallengeCache';
import {
  challengeUpsert,
  isValidChallenge,
  validChallenge,
} from './challengeColumns';
import {
  contestColumns,
  contestView,
  effectiveScoring,
  newContestRow,
} from './contestColumns';
import type {
  AttachOptions,
  ContestAdminService,
  ContestInput,
  EntityLoader,
} from './types';

/** At most this many announcements are listed. */
const ANNOUNCEMENTS_LISTED = 100;

/** Contests and their challenges, teams, announcements and admin views, over the stores. */
export class DefaultContestAdminService implements ContestAdminService {
  constructor(
    private readonly stores: Pick<
      ContestStores,
      'contests' | 'teams' | 'submissions' | 'announcements'
    >,
    private readonly challengeCache: ChallengeCache,
  ) {}

  // ---------------------------------------------------------------- reading

  async listContests() {
    return (await this.stores.contests.listContests()).map(contestView);
  }

  async contest(slug: string) {
    return contestView(await this.contestRow(slug));
  }

  async contestRow(slug: string) {
    const row = await this.stores.contests.contestBySlug(slug);
    if (!row) throw new NotFoundError(`No contest "${slug}"`);
    return row;
  }

  async contestById(id: string) {
    const row = await this.stores.contests.contestById(id);
    if (!row) throw new NotFoundError(`No contest with id ${id}`);
    return row;
  }

  listChallengeRows(contestId: string) {
    return this.stores.contests.listChallenges(contestId);
  }

  async challengeByName(contestId: string, name: string) {
    const row = await this.stores.contests.challenge(contestId, { name });
    if (!row) throw new NotFoundError(`No challenge "${name}" in this contest`);
    return row;
  }

  async challengeByRef(contestId: string, entityRef: string) {
    const row = await this.stores.contests.challenge(contestId, { entityRef });
    if (!row)
      throw new NotFoundError(`No challenge ${entityRef} in this contest`);
    return row;
  }

  announcements(contestId: string) {
    return this.stores.announcements.list(contestId, ANNOUNCEMENTS_LISTED);
  }

  // --------------------------------------------------------------- contests

  async contestDetail(slug: string) {
    const contest = await this.contestRow(slug);
    const rows = await this.listChallengeRows(contest.id);
    return {
      contest: contestView(contest),
      challenges: rows.map(c => ({
        id: c.id,
        name: c.name,
        entityRef: c.entity_ref,
        title: c.title,
        category: c.category,
        difficulty: c.difficulty,
        type: c.type,
        hidden: toBool(c.hidden),
        releaseAt: toIso(c.release_at),
        syncedAt: toIso(c.synced_at),
        scoring: effectiveScoring(c.scoring, contest.scoring_defaults),
      })),
    };
  }

  async createContest(input: ContestInput) {
    if (!(await this.stores.contests.insertContest(newContestRow(input))))
      throw new ConflictError(`A contest with slug "${input.slug}" exists`);
    return contestView(await this.contestRow(input.slug));
  }

  async updateContest(slug: string, input: Partial<ContestInput>) {
    const existing = await this.contestRow(slug);
    await this.stores.contests.updateContest(
      existing.id,
      contestColumns(input, existing),
    );
    return contestView(await this.contestRow(slug));
  }

  async deleteContest(slug: string) {
    const contest = await this.contestRow(slug);
    await this.stores.contests.deleteContest(contest.id);
    this.challengeCache.forget(contest.id);
  }

  // ------------------------------------------------------------- challenges

  async attachChallenge(
    slug: string,
    entity: Entity,
    options: AttachOptions = {},
  ): Promise<ContestChallengeRow> {
    const contest = await this.contestRow(slug);
    const { insert, update } = challengeUpsert(
      contest.id,
      validChallenge(entity),
      options,
    );
    const row = await this.stores.contests.upsertChallenge(insert, update);
    this.challengeCache.forget(contest.id);
    return row;
  }

  async detachChallenge(slug: string, name: string) {
    const contest = await this.contestRow(slug);
    const challenge = await this.challengeByName(contest.id, name);
    if (!(await this.stores.contests.deleteUnsolvedChallenge(challenge.id))) {
      throw new ConflictError(
        `"${name}" has solves; hide it instead of removing it`,
      );
    }
    this.challengeCache.forget(contest.id);
  }

  async resyncChallenges(load: EntityLoader) {
    const rows = await this.stores.contests.allChallenges();
    let updated = 0;
    let missing = 0;
    const slugs = new Map<string, string>();
    for (const row of rows) {
      let slug = slugs.get(row.contest_id);
      if (!slug) {
        slug = (await this.contestById(row.contest_id)).slug;
        slugs.set(row.contest_id, slug);
      }
      const entity = await load(row.entity_ref);
      if (!entity || !isValidChallenge(entity)) {
        missing += 1;
        continue;
      }
      await this.attachChallenge(slug, entity);
      updated += 1;
    }
    return { updated, missing };
  }

  // ------------------------------------------------------------------ teams

  listTeams(contestId: string, query?: string) {
    return this.stores.teams.search(contestId, query);
  }

  async setBanned(
    contestId: string,
    teamId: string,
    banned: boolean,
    reason?: string,
  ) {
    const found = await this.stores.teams.setBanned(
      contestId,
      teamId,
      banned,
      reason ?? null,
    );
    const team = found ? await this.stores.teams.team(teamId) : undefined;
    if (!team) throw new NotFoundError('No such team in this contest');
    return team;
  }

  // ---------------------------------------------------- announcements, views

  async announce(contestId: string, title: string, body: string) {
    const id = await this.stores.announcements.insert({
      contest_id: contestId,
      title,
      body,
      created_at: new Date().toISOString(),
    });
    return { id, title, body };
  }

  submissionsFeed(contestId: string, afterId = 0, limit = 100) {
    return this.stores.submissions.feed(contestId, afterId, limit);
  }

  incidents(contestId: string) {
    return this.stores.submissions.incidents(contestId);
  }

  async challengeStats(entityRef: string) {
    const rows = await this.stores.contests.challengesByRef(entityRef);
    const out = [];
    for (const row of rows) {
      const contest = await this.contestById(row.contest_id);
      out.push({
        contest: contest.slug,
        hidden: toBool(row.hidden),
        ...(await this.stores.submissions.challengeCounts(row.id)),
      });
    }
    return out;
  }
}
