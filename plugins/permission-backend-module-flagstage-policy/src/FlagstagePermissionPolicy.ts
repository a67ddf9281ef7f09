import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AREA_ROLES,
  rolesOf,
  type FlagstageRole,
  type RoleGroups,
} from './roles';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Catalog permissions authors may use to register and maintain challenge packages. */
const AUTHOR_CATALOG_PERMISSIONS = new Set([
  'catalog.entity.create',
  'catalog.location.create',
  'catalog.location.read',
  'catalog.entity.validate',
]);
/** Catalog resource permissions authors hold on Challenge entities only. */
const AUTHOR_CHALLENGE_ENTITY_PERMISSIONS = new Set([
  'catalog.entity.refresh',
  'catalog.entity.delete',
]);
/**
 * Reads that expose raw, possibly invalid entity files (an author may have
 * pasted a plaintext flag into one); staff roles only, not every reader.
 */
const STAFF_ONLY_READS = new Set(['catalog.entities.unprocessed.read']);
/**
 * Reads for operators only: logs (Loki searches, workflow and challenge pod
 * logs) carry player traffic, request paths and infrastructure detail.
 */
const OPERATOR_ONLY_READS = new Set(['flagstage.logs.read']);
/**
 * Contest data (submissions, incidents, teams, live scoreboards) is read by
 * operators and admins only. Authors read the stats of their own challenges:
 * the contest API checks ownership behind this permission.
 */
const CONTEST_READ_PREFIX = 'flagstage.contest.';
const CHALLENGE_STATS_READ = 'flagstage.contest.challengestats.read';
/** Kubernetes permissions beyond reading, for operators. */
const OPERATOR_KUBERNETES_PREFIX = 'kubernetes.';

/** Looks up the ownership refs (user and groups) of a signed-in user. @public */
export type OwnershipResolver = (user: PolicyQueryUser) => Promise<string[]>;

/**
 * Flagstage's role-based policy:
 * - `ctf-admins` may do everything;
 * - `ctf-authors` manage challenges (Flagstage `challenge` area, Challenge
 *   entities in the catalog, scaffolder templates);
 * - `ctf-operators` see and act on instances, gateway, workflows and logs and
 *   may use the Kubernetes proxy;
 * - contest data is read by operators (and authors read the stats of their
 *   own challenges); logs (`flagstage.logs.read`) by operators only;
 * - every other signed-in user may read the rest (except raw unprocessed
 *   entities).
 *
 * @public
 */
export class FlagstagePermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: {
      groups: RoleGroups;
      ownership: OwnershipResolver;
    },
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return DENY;
    }
    const roles = rolesOf(
      await this.options.ownership(user),
      this.options.groups,
    );
    return decide(request, roles);
  }
}

/** The pure decision behind the policy, for a user holding `roles`. @public */
export function decide(
  request: PolicyQuery,
  roles: Set<FlagstageRole>,
): PolicyDecision {
  const { permission } = request;
  if (roles.has('admin')) {
    return ALLOW;
  }
  if (OPERATOR_ONLY_READS.has(permission.name)) {
    return roles.has('operator') ? ALLOW : DENY;
  }
  if (STAFF_ONLY_READS.has(permission.name)) {
    return roles.has('author') || roles.has('operator') ? ALLOW : DENY;
  }
  if (
    permission.name.startsWith(CONTEST_READ_PREFIX) &&
    permission.attributes.action === 'read'
  ) {
    if (roles.has('operator')) return ALLOW;
    return permission.name === CHALLENGE_STATS_READ && roles.has('author')
      ? ALLOW
      : DENY;
  }
  if (permission.attributes.action === 'read') {
    return ALLOW;
  }
  const name = permission.name;

  if (name.startsWith('flagstage.')) {
    const area = name.split('.')[1];
    const role = AREA_ROLES[area];
    return role && roles.has(role) ? ALLOW : DENY;
  }

  if (roles.has('author')) {
    if (
      AUTHOR_CATALOG_PERMISSIONS.has(name) ||
      name.startsWith('scaffolder.')
    ) {
      return ALLOW;
    }
    if (
      AUTHOR_CHALLENGE_ENTITY_PERMISSIONS.has(name) &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityKind({ kinds: ['Challenge'] }),
      );
    }
  }

  if (roles.has('operator') && name.startsWith(OPERATOR_KUBERNETES_PREFIX)) {
    return ALLOW;
  }
  return DENY;
}
