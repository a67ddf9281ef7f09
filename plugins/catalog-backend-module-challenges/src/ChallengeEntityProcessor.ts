import {
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  type Entity,
} from '@backstage/catalog-model';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorEmit,
} from '@backstage/plugin-catalog-node';
import {
  assertValidChallengeEntity,
  CHALLENGE_LABEL,
  isChallengeEntity,
} from '@flagstage/plugin-challenge-common';
// The annotation the Kubernetes plugin reads to find a challenge's objects.
import { KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION } from '@backstage/plugin-kubernetes-common';

/**
 * Adds the Challenge kind (flagstage.io/v1alpha1) to the catalog: validates it,
 * points the Kubernetes tab at its instances and emits ownership and
 * prerequisite relations.
 *
 * @public
 */
export class ChallengeEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'ChallengeEntityProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (!isChallengeEntity(entity)) {
      return false;
    }
    // Throws an InputError naming every bad field; the catalog records it as
    // a processing error on the entity.
    assertValidChallengeEntity(entity);
    return true;
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (!isChallengeEntity(entity)) {
      return entity;
    }
    const selector = `${CHALLENGE_LABEL}=${entity.metadata.name}`;
    if (
      entity.metadata.annotations?.[
        KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION
      ] === selector
    ) {
      return entity;
    }
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION]: selector,
        },
      },
    };
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isChallengeEntity(entity)) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const defaultNamespace = self.namespace;

    const owner = parseEntityRef(entity.spec.owner, {
      defaultKind: 'Group',
      defaultNamespace,
    });
    emit(
      processingResult.relation({
        source: self,
        type: RELATION_OWNED_BY,
        target: owner,
      }),
    );
    emit(
      processingResult.relation({
        source: owner,
        type: RELATION_OWNER_OF,
        target: self,
      }),
    );

    for (const ref of entity.spec.requires ?? []) {
      const required = parseEntityRef(ref, {
        defaultKind: 'Challenge',
        defaultNamespace,
      });
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_DEPENDS_ON,
          target: required,
        }),
      );
      emit(
        processingResult.relation({
          source: required,
          type: RELATION_DEPENDENCY_OF,
          target: self,
        }),
      );
    }
    return entity;
  }
}
