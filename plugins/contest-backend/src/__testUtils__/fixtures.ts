import { createHash } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ChallengeEntityV1alpha1 } from '@flagstage/plugin-challenge-common';
import type { TestDatabase } from '@flagstage/test-utils';
import { migrationsDirectory } from '@flagstage/backend-node';

/** Plaintext flags of the test challenges; only their digests go into entities. */
export const PLAIN_FLAGS = {
  warmup: 'flagstage{warm_up_static_7f3a}',
  pattern: 'FLAGSTAGE{regex-42}',
} as const;

export const sha256 = (s: string) =>
  `sha256:${createHash('sha256').update(s, 'utf8').digest('hex')}`;

/** A valid Challenge entity; `overrides.spec` is merged into the spec. */
export function challengeEntity(
  name: string,
  spec: Partial<ChallengeEntityV1alpha1['spec']> = {},
): ChallengeEntityV1alpha1 {
  return {
    apiVersion: 'flagstage.io/v1alpha1',
    kind: 'Challenge',
    metadata: {
      name,
      namespace: 'default',
      title: `Title of ${name}`,
      description: `About ${name}`,
    },
    spec: {
      owner: 'group:default/ctf-authors',
      category: 'misc',
      type: 'static',
      difficulty: 'easy',
      scoring: { function: 'static', value: 100 },
      flags: [{ kind: 'static', sha256: sha256(PLAIN_FLAGS.warmup) }],
      ...spec,
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/ctf-authors' }],
  } as ChallengeEntityV1alpha1;
}

/** The challenges most tests attach: static, regex (case-insensitive), dynamic with a hint, and one requiring another. */
export const testChallenges = {
  warmup: challengeEntity('warmup', {
    scoring: { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 50 },
  }),
  pattern: challengeEntity('pattern', {
    flags: [
      {
        kind: 'regex',
        pattern: '^flagstage\\{regex-[0-9]+\\}$',
        caseInsensitive: true,
      },
    ],
  }),
  vault: challengeEntity('vault', {
    type: 'instanced',
    runtime: {
      protocol: 'http',
      port: 3333,
      build: { context: '.', dockerfile: 'Dockerfile' },
      ttlSeconds: 3600,
    },
    scoring: { function: 'gzctf', initial: 1000, minimum: 200, decay: 10 },
    flags: [{ kind: 'dynamic', prefix: 'flagstage' }],
    hints: [
      { title: 'Free', content: 'look at the ids' },
      { title: 'Paid', content: 'ids start at zero', cost: 25 },
    ],
  }),
  finale: challengeEntity('finale', {
    scoring: { function: 'static', value: 300 },
    requires: ['challenge:default/warmup'],
  }),
};

/** A knex on the test database with a pool large enough for race tests, migrated. */
export async function migratedKnex(
  db: TestDatabase,
  poolMax = 20,
): Promise<Knex> {
  const knex =
    db.engine === 'sqlite'
      ? db.knex
      : knexFactory({ ...db.config, pool: { min: 0, max: poolMax } });
  await knex.migrate.latest({
    directory: migrationsDirectory('@flagstage/plugin-contest-backend'),
  });
  return knex;
}

/** A logger that records every line (message and fields) as JSON text. */
export function capturingLogger(lines: string[] = []): LoggerService & {
  lines: string[];
} {
  const make = (fields: object): LoggerService & { lines: string[] } => {
    const log = (level: string) => (message: string, meta?: Error | object) => {
      lines.push(
        JSON.stringify({
          level,
          message,
          ...fields,
          ...(meta instanceof Error
            ? { error: String(meta), stack: meta.stack }
            : meta),
        }),
      );
    };
    return {
      lines,
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: (more: object) => make({ ...fields, ...more }),
    };
  };
  return make({});
}

export const HOUR = 3600 * 1000;

/**
 * A contest `c1` with one challenge `ch1`, written straight into the tables
 * (for tests below the services: migrations and stores).
 */
export async function insertBareContest(knex: Knex): Promise<void> {
  const now = new Date().toISOString();
  await knex('contests').insert({
    id: 'c1',
    slug: 'c1',
    name: 'C',
    starts_at: now,
    ends_at: now,
    flag_secret: 'x',
  });
  await knex('contest_challenges').insert({
    id: 'ch1',
    contest_id: 'c1',
    entity_ref: 'challenge:default/a',
    name: 'a',
    title: 'A',
    category: 'web',
    difficulty: 'easy',
    type: 'static',
    scoring: '{}',
    flags: '[]',
  });
}

/**
 * Team rules for contests at a fixed past time (tests pass `now`): the clock
 * has passed their end, so registration must not close at it.
 */
export const FIXED_TIME_TEAM_RULES = {
  maxTeamsPerContestant: 3,
  registrationClosesAtEnd: false,
};
