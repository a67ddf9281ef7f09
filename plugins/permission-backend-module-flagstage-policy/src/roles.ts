/** The staff roles Flagstage knows. @public */
export type FlagstageRole = 'admin' | 'author' | 'operator';

/** Which catalog groups hold each role. @public */
export type RoleGroups = Record<FlagstageRole, string[]>;

/** Default role groups (overridable under `permission.flagstage.roles`). @public */
export const DEFAULT_ROLE_GROUPS: RoleGroups = {
  admin: ['group:default/ctf-admins'],
  author: ['group:default/ctf-authors'],
  operator: ['group:default/ctf-operators'],
};

/**
 * Areas of Flagstage permissions (`flagstage.<area>.<verb>`) and the role that
 * may perform their non-read actions. Admins may do everything; any signed-in
 * staff member may perform `read` actions, except `flagstage.logs.read` and
 * contest data reads (operators; see the policy). Later plugins name their
 * permissions after these areas instead of touching the policy.
 *
 * @public
 */
export const AREA_ROLES: Record<string, FlagstageRole> = {
  contest: 'admin',
  challenge: 'author',
  instance: 'operator',
  gateway: 'operator',
  logs: 'operator',
  workflow: 'operator',
};

/** Resolves a user's roles from their ownership entity refs. @public */
export function rolesOf(
  ownershipEntityRefs: string[],
  groups: RoleGroups = DEFAULT_ROLE_GROUPS,
): Set<FlagstageRole> {
  const owned = new Set(
    ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
  );
  const roles = new Set<FlagstageRole>();
  for (const role of Object.keys(groups) as FlagstageRole[]) {
    if (groups[role].some(g => owned.has(g.toLocaleLowerCase('en-US')))) {
      roles.add(role);
    }
  }
  return roles;
}
