import type {
  ChallengeAttachment,
  ChallengeHint,
} from '@flagstage/plugin-challenge-common';
import { toBool, toIso } from '@flagstage/backend-node';
import type { ContestantRow } from '../database/rows';
import type {
  ContestReader,
  ContestView,
} from '../services/ContestAdminService/types';
import type { ContestantInstance } from '../services/DeploymentClient';
import type { HintService } from '../services/HintService/types';
import type { ScoreboardService } from '../services/ScoreboardService/types';

/** What anyone sees of a contest. */
export function publicContestView(c: ContestView) {
  return {
    slug: c.slug,
    name: c.name,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    freezeAt: c.freezeAt,
    divisions: c.divisions,
    teamSizeLimit: c.teamSizeLimit,
    registration: c.registration,
  };
}

/** What a contestant sees of the team's instance: state, times, and how to reach it. */
export function contestantInstanceView(i: ContestantInstance) {
  return {
    id: i.id,
    challenge: i.challenge,
    state: i.state,
    failureReason: i.failureReason ?? null,
    protocol: i.protocol,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    extendableFrom: i.extendableFrom ?? null,
    access: i.access ?? null,
  };
}

/**
 * What a contestant may see of the contest's challenges: visible and released
 * ones only, never flags, hint contents only once unlocked by the team.
 */
export async function publicChallengeList(
  services: {
    contests: ContestReader;
    scoreboards: ScoreboardService;
    hints: HintService;
  },
  me: ContestantRow,
  now = new Date(),
) {
  const { contests, scoreboards, hints: progress } = services;
  const contest = await contests.contestById(me.contest_id);
  // Nothing of the challenges shows before the contest starts.
  if (now < new Date(toIso(contest.starts_at))) return [];
  const rows = await contests.listChallengeRows(contest.id);
  // After the freeze, values and solve counts come from pre-freeze solves.
  const values = await scoreboards.challengeValues(contest.id, 'public');
  const { solved, unlocked } = me.team_id
    ? await progress.teamProgress(me.team_id)
    : { solved: new Set<string>(), unlocked: new Set<string>() };
  const solvedRefs = new Set(
    rows.filter(r => solved.has(r.id)).map(r => r.entity_ref),
  );
  const nameOf = new Map(rows.map(r => [r.entity_ref, r.name]));
  return rows
    .filter(r => {
      const releaseAt = toIso(r.release_at);
      return !toBool(r.hidden) && !(releaseAt && new Date(releaseAt) > now);
    })
    .map(r => {
      const requires: string[] = JSON.parse(r.requires);
      const locked = requires.some(ref => !solvedRefs.has(ref));
      const hints: ChallengeHint[] = JSON.parse(r.hints);
      const attachments: ChallengeAttachment[] = JSON.parse(r.attachments);
      const runtime = r.runtime ? JSON.parse(r.runtime) : null;
      return {
        name: r.name,
        title: r.title,
        category: r.category,
        difficulty: r.difficulty,
        type: r.type,
        protocol: runtime?.protocol ?? null,
        value: values.get(r.id)?.value ?? 0,
        solves: values.get(r.id)?.solves ?? 0,
        solved: solved.has(r.id),
        locked,
        // What unlocks it, by challenge name (the entity ref if not in this contest).
        requires: locked
          ? requires
              .filter(ref => !solvedRefs.has(ref))
              .map(ref => nameOf.get(ref) ?? ref)
          : [],
        description: locked ? '' : r.description,
        attachments: locked
          ? []
          : attachments.map(a => ({
              name: a.name,
              url: a.url ?? null,
              sha256: a.sha256 ?? null,
            })),
        hints: hints.map((h, i) => ({
          index: i,
          title: h.title,
          cost: h.cost ?? 0,
          content: unlocked.has(`${r.id}#${i}`) ? h.content : null,
        })),
      };
    });
}
