import { NotFoundError } from '@backstage/errors';
import type { ContestStore } from '../database/ContestStore';
import type { ContestChallengeRow } from '../database/rows';

/** How long the submission path trusts its copy of a contest's challenges. */
const CHALLENGE_CACHE_MS = 2000;

/**
 * A contest's challenges by name from a short-lived in-process cache (the
 * submission path reads them on every request). Changes made through the
 * admin service clear it; other replicas see changes within
 * CHALLENGE_CACHE_MS.
 */
export class ChallengeCache {
  private readonly byContest = new Map<
    string,
    { at: number; byName: Map<string, ContestChallengeRow> }
  >();

  constructor(private readonly store: ContestStore) {}

  async get(contestId: string, name: string): Promise<ContestChallengeRow> {
    const cached = this.byContest.get(contestId);
    if (cached && Date.now() - cached.at < CHALLENGE_CACHE_MS) {
      const row = cached.byName.get(name);
      if (row) return row;
    }
    const rows = await this.store.listChallenges(contestId);
    const byName = new Map(rows.map(r => [r.name, r]));
    this.byContest.set(contestId, { at: Date.now(), byName });
    const row = byName.get(name);
    if (!row) throw new NotFoundError(`No challenge "${name}" in this contest`);
    return row;
  }

  forget(contestId: string) {
    this.byContest.delete(contestId);
  }
}
