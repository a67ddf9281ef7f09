import type { Manifest } from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/manifests';

type Json = Record<string, any>;

/** Containers whose image cannot run with a read-only root filesystem, and why. */
export const WRITABLE_ROOT: Record<string, string> = {
  'Deployment/flagstage-backend/backend':
    'plugin-app-backend writes the runtime config into the frontend files at start',
};

/** Every pod spec of the chart's own workloads (Deployments and the test Pod). */
export function podSpecsOf(ms: Manifest[]) {
  return ms.flatMap(m => {
    const o = m.object;
    const name = `${o.kind}/${o.metadata?.name}`;
    if (o.kind === 'Deployment')
      return [
        {
          name,
          source: m.source,
          spec: o.spec.template.spec as Json,
          replicated: o.spec.replicas !== 1,
        },
      ];
    if (o.kind === 'Pod')
      return [
        { name, source: m.source, spec: o.spec as Json, replicated: false },
      ];
    return [];
  });
}

/**
 * The chart's rules for its own pods (manifestRules covers the challenge
 * pods and Argo templates): non-root, RuntimeDefault seccomp, no privilege
 * escalation, ALL capabilities dropped, a read-only root filesystem unless
 * listed above, requests and limits, liveness and readiness probes on a named
 * container port, a termination grace period, and spread constraints for
 * replicated workloads.
 */
export function podRules(ms: Manifest[]): string[] {
  const problems: string[] = [];
  for (const { name, spec, replicated } of podSpecsOf(ms)) {
    const pod = spec.securityContext ?? {};
    if (pod.runAsNonRoot !== true)
      problems.push(`${name}: pod does not set runAsNonRoot`);
    if (pod.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${name}: pod has no RuntimeDefault seccomp profile`);
    if (replicated && !(spec.topologySpreadConstraints ?? []).length)
      problems.push(`${name}: replicated without topologySpreadConstraints`);
    if (
      name.startsWith('Deployment/') &&
      spec.terminationGracePeriodSeconds === undefined
    )
      problems.push(`${name}: no terminationGracePeriodSeconds`);
    for (const c of spec.containers ?? []) {
      const where = `${name}/${c.name}`;
      for (const kind of ['requests', 'limits'])
        for (const r of ['cpu', 'memory'])
          if (!c.resources?.[kind]?.[r])
            problems.push(`${where}: no ${kind}.${r}`);
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false)
        problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (sc.privileged) problems.push(`${where}: privileged`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL'))
        problems.push(`${where}: does not drop ALL capabilities`);
      if ((sc.capabilities?.add ?? []).length)
        problems.push(`${where}: adds capabilities`);
      if (sc.readOnlyRootFilesystem !== true && !WRITABLE_ROOT[where])
        problems.push(`${where}: readOnlyRootFilesystem is not true`);
      if (!name.startsWith('Deployment/')) continue;
      const ports = new Set((c.ports ?? []).map((p: Json) => p.name));
      for (const probe of ['livenessProbe', 'readinessProbe']) {
        const get = c[probe]?.httpGet;
        if (!get) problems.push(`${where}: no ${probe}`);
        else if (!ports.has(get.port))
          problems.push(`${where}: ${probe} on unknown port ${get.port}`);
      }
    }
  }
  return problems;
}
