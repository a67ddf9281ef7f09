import type { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { toIso } from '@flagstage/backend-node';
import type {
  ContestAdminService,
  EntityLoader,
} from './ContestAdminService/types';

/** The `contest.demo` config: a contest kept open for local play. */
export type DemoContestConfig = {
  slug: string;
  name: string;
  challenges: string[];
};

export function readDemoContestConfig(
  config: Config,
): DemoContestConfig | undefined {
  const demo = config.getOptionalConfig('contest.demo');
  if (!demo) return undefined;
  return {
    slug: demo.getOptionalString('slug') ?? 'demo',
    name: demo.getOptionalString('name') ?? 'Flagstage demo contest',
    challenges: demo.getOptionalStringArray('challenges') ?? [],
  };
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Makes sure the demo contest exists, is running, and has its challenges
 * attached and visible. Idempotent; challenges the catalog has not
 * processed yet are attached on a later run.
 */
export async function ensureDemoContest(
  contests: ContestAdminService,
  demo: DemoContestConfig,
  load: EntityLoader,
  now = new Date(),
): Promise<{ attached: string[]; pending: string[] }> {
  let contest = await contests.contestRow(demo.slug).catch(e => {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  });
  if (!contest) {
    await contests.createContest({
      slug: demo.slug,
      name: demo.name,
      startsAt: new Date(now.getTime() - 3600 * 1000).toISOString(),
      endsAt: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
      divisions: ['open', 'student'],
      teamSizeLimit: 4,
      registration: 'open',
    });
    contest = await contests.contestRow(demo.slug);
  } else if (new Date(toIso(contest.ends_at)) <= now) {
    await contests.updateContest(demo.slug, {
      endsAt: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
      freezeAt: null,
    });
  }
  const present = new Set(
    (await contests.listChallengeRows(contest.id)).map(r => r.entity_ref),
  );
  const attached: string[] = [];
  const pending: string[] = [];
  for (const ref of demo.challenges) {
    const key = stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'challenge' }),
    );
    if (present.has(key)) continue;
    const entity = await load(ref);
    if (!entity) {
      pending.push(ref);
      continue;
    }
    await contests.attachChallenge(demo.slug, entity, { hidden: false });
    attached.push(ref);
  }
  return { attached, pending };
}
