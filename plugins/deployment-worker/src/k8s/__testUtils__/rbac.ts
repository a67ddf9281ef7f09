import type { Manifest } from './manifests';

/**
 * A small RBAC evaluator over manifests (Roles, ClusterRoles and their
 * bindings), to test least privilege by asking "can this service account do
 * that?" instead of comparing YAML. Follows the Kubernetes rules: a
 * RoleBinding grants its role's rules in its own namespace, a
 * ClusterRoleBinding everywhere; `*` matches anything.
 */
type Rule = {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
};

export type Access = {
  verb: string;
  group: string;
  resource: string;
  /** undefined: a cluster-scoped resource or an all-namespaces request. */
  namespace?: string;
};

const matches = (list: string[] | undefined, value: string) =>
  (list ?? []).includes('*') || (list ?? []).includes(value);

export function rbacOf(manifests: Manifest[]) {
  const objects = manifests.map(m => m.object);
  const role = (kind: string, name: string, namespace?: string) =>
    objects.find(
      o =>
        o.kind === kind &&
        o.metadata?.name === name &&
        (kind === 'ClusterRole' || o.metadata?.namespace === namespace),
    );
  const bindingsOf = (sa: string, saNamespace: string) =>
    objects.filter(
      o =>
        (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') &&
        (o.subjects ?? []).some(
          (s: any) =>
            s.kind === 'ServiceAccount' &&
            s.name === sa &&
            s.namespace === saNamespace,
        ),
    );

  /** Whether service account `namespace/name` may do `access`. */
  function can(serviceAccount: string, access: Access): boolean {
    const [saNamespace, sa] = serviceAccount.split('/');
    return bindingsOf(sa, saNamespace).some(b => {
      const scope = b.kind === 'RoleBinding' ? b.metadata.namespace : undefined;
      if (scope !== undefined && scope !== access.namespace) return false;
      const r = role(b.roleRef.kind, b.roleRef.name, b.metadata.namespace);
      if (!r) return false;
      return (r.rules as Rule[]).some(
        rule =>
          matches(rule.apiGroups, access.group) &&
          matches(rule.resources, access.resource) &&
          matches(rule.verbs, access.verb) &&
          // resourceNames narrow a rule; we ask about any object.
          !(rule.resourceNames ?? []).length,
      );
    });
  }

  /** Bindings whose role or subjects do not exist in the manifests. */
  function danglingReferences(): string[] {
    const problems: string[] = [];
    for (const b of objects.filter(o => /Binding$/.test(o.kind) && o.roleRef)) {
      if (!role(b.roleRef.kind, b.roleRef.name, b.metadata.namespace))
        problems.push(
          `${b.kind} ${b.metadata.name}: no ${b.roleRef.kind} ${b.roleRef.name}`,
        );
      for (const s of b.subjects ?? [])
        if (
          s.kind === 'ServiceAccount' &&
          !objects.some(
            o =>
              o.kind === 'ServiceAccount' &&
              o.metadata.name === s.name &&
              o.metadata.namespace === s.namespace,
          )
        )
          problems.push(
            `${b.kind} ${b.metadata.name}: no ServiceAccount ${s.namespace}/${s.name}`,
          );
    }
    return problems;
  }

  return { can, danglingReferences };
}
