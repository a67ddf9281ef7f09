import { randomUUID } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  isChallengeEntity,
  validateChallengeEntity,
  type ChallengeEntityV1alpha1,
} from '@flagstage/plugin-challenge-common';
import type { ContestChallengeRow } from '../../database/rows';
import { parseTime } from './contestColumns';
import type { AttachOptions } from './types';

/** A Challenge entity that passes validation, or an InputError saying why not. */
export function validChallenge(entity: Entity): ChallengeEntityV1alpha1 {
  if (!isChallengeEntity(entity)) {
    throw new InputError(
      `${stringifyEntityRef(entity)} is not a Challenge entity`,
    );
  }
  const problems = validateChallengeEntity(entity);
  if (problems.length > 0) {
    throw new InputError(
      `${stringifyEntityRef(entity)} is invalid: ${problems
        .map(p => `${p.path}: ${p.message}`)
        .join('; ')}`,
    );
  }
  return entity;
}

/** Is the entity a Challenge that would attach? (The re-sync skips others.) */
export function isValidChallenge(entity: Entity | undefined): boolean {
  return (
    !!entity &&
    isChallengeEntity(entity) &&
    validateChallengeEntity(entity).length === 0
  );
}

/** What attaching copies from the entity (every re-sync writes it again). */
function syncedColumns(entity: ChallengeEntityV1alpha1) {
  return {
    name: entity.metadata.name,
    title: entity.metadata.title ?? entity.metadata.name,
    description: entity.metadata.description ?? '',
    category: entity.spec.category,
    difficulty: entity.spec.difficulty,
    type: entity.spec.type,
    scoring: JSON.stringify(entity.spec.scoring),
    flags: JSON.stringify(entity.spec.flags),
    hints: JSON.stringify(entity.spec.hints ?? []),
    requires: JSON.stringify(
      (entity.spec.requires ?? []).map(r =>
        stringifyEntityRef(
          parseEntityRef(r, {
            defaultKind: 'challenge',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        ),
      ),
    ),
    attachments: JSON.stringify(entity.spec.attachments ?? []),
    runtime: entity.spec.runtime ? JSON.stringify(entity.spec.runtime) : null,
    synced_at: new Date().toISOString(),
  };
}

/** The admin's visibility choice; what it leaves out stays as it is. */
function visibilityColumns(options: AttachOptions) {
  const visibility: Partial<ContestChallengeRow> = {};
  if (options.hidden !== undefined) visibility.hidden = options.hidden;
  if (options.releaseAt !== undefined) {
    visibility.release_at = options.releaseAt
      ? parseTime(options.releaseAt, 'releaseAt').toISOString()
      : null;
  }
  return visibility;
}

/**
 * The row to insert for a newly attached challenge (hidden unless the options
 * say otherwise) and the columns to update on an attached one.
 */
export function challengeUpsert(
  contestId: string,
  entity: ChallengeEntityV1alpha1,
  options: AttachOptions,
): { insert: ContestChallengeRow; update: Partial<ContestChallengeRow> } {
  const update = { ...syncedColumns(entity), ...visibilityColumns(options) };
  return {
    insert: {
      id: randomUUID(),
      contest_id: contestId,
      entity_ref: stringifyEntityRef(entity),
      hidden: true,
      release_at: null,
      ...update,
    },
    update,
  };
}
