import type { Manifest } from './manifests';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kinds whose names must be DNS-1123 labels (they become DNS names or hostnames). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);

/** Instance objects (created per instance) and the labels they must carry. */
const INSTANCE_LABELS = [
  'app.kubernetes.io/managed-by',
  'flagstage.io/instance',
];
const NAMESPACE_LABELS = [
  ...INSTANCE_LABELS,
  'flagstage.io/contest',
  'flagstage.io/team',
  'flagstage.io/challenge',
  'flagstage.io/expires-at',
];

/** The one container allowed to run as root (documented in build-challenge.yaml). */
const ROOT_ALLOWED = new Set(['kaniko']);

function containersOf(
  m: Manifest,
): { where: string; container: any; podSecurity?: any }[] {
  const o = m.object;
  const out: { where: string; container: any; podSecurity?: any }[] = [];
  let podSpec: any;
  if (o.kind === 'Job') podSpec = o.spec?.template?.spec;
  else if (o.kind === 'Pod') podSpec = o.spec;
  for (const c of podSpec?.containers ?? [])
    out.push({
      where: `${m.source} container ${c.name}`,
      container: c,
      podSecurity: podSpec.securityContext,
    });
  if (['WorkflowTemplate', 'Workflow', 'CronWorkflow'].includes(o.kind)) {
    const spec = o.kind === 'CronWorkflow' ? o.spec?.workflowSpec : o.spec;
    for (const t of spec?.templates ?? []) {
      const c = t.container ?? t.script;
      if (c)
        out.push({
          where: `${m.source} template ${t.name}`,
          container: { ...c, name: t.name },
          podSecurity: t.securityContext ?? spec.securityContext,
        });
    }
  }
  return out;
}

/**
 * Flagstage's own rules on top of the schemas (which do not check names,
 * labels, policies or limits): returns one sentence per violation.
 */
export function manifestRules(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const namespaces = new Set<string>();
  const denyAll = new Set<string>();
  for (const m of manifests) {
    const o = m.object;
    const name: string = o.metadata?.name ?? '';
    const pattern = LABEL_NAMED.has(o.kind) ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
    if (
      !pattern.test(name) ||
      name.length > (LABEL_NAMED.has(o.kind) ? 63 : 253)
    )
      problems.push(`${m.source}: ${o.kind} name "${name}" is not DNS-1123`);
    const labels = o.metadata?.labels ?? {};
    if (o.kind === 'Namespace') {
      namespaces.add(name);
      for (const l of NAMESPACE_LABELS)
        if (!labels[l])
          problems.push(`${m.source}: namespace lacks label ${l}`);
    }
    if (['Service', 'Job', 'NetworkPolicy'].includes(o.kind)) {
      for (const l of INSTANCE_LABELS)
        if (!labels[l])
          problems.push(`${m.source}: ${o.kind} lacks label ${l}`);
    }
    if (
      o.kind === 'NetworkPolicy' &&
      o.spec?.podSelector &&
      Object.keys(o.spec.podSelector).length === 0 &&
      (o.spec.policyTypes ?? []).includes('Ingress') &&
      (o.spec.policyTypes ?? []).includes('Egress') &&
      !o.spec.ingress?.length &&
      !o.spec.egress?.length
    )
      denyAll.add(o.metadata?.namespace);
    if (o.kind === 'Job') {
      const podLabels = o.spec?.template?.metadata?.labels ?? {};
      for (const l of INSTANCE_LABELS)
        if (!podLabels[l])
          problems.push(`${m.source}: Job pod template lacks label ${l}`);
      if (o.spec?.template?.spec?.automountServiceAccountToken !== false)
        problems.push(
          `${m.source}: challenge pods must not mount a service account token`,
        );
      if (o.spec?.activeDeadlineSeconds === undefined)
        problems.push(`${m.source}: Job has no activeDeadlineSeconds`);
      if (o.spec?.ttlSecondsAfterFinished === undefined)
        problems.push(`${m.source}: Job has no ttlSecondsAfterFinished`);
    }
    if (['WorkflowTemplate', 'Workflow', 'CronWorkflow'].includes(o.kind)) {
      const spec = o.kind === 'CronWorkflow' ? o.spec?.workflowSpec : o.spec;
      if (o.kind !== 'Workflow') {
        if (!spec?.ttlStrategy)
          problems.push(`${m.source}: ${o.kind} has no ttlStrategy`);
        if (!spec?.activeDeadlineSeconds)
          problems.push(`${m.source}: ${o.kind} has no activeDeadlineSeconds`);
      }
      for (const t of spec?.templates ?? [])
        if (t.steps)
          problems.push(
            `${m.source}: template ${t.name} uses steps; write it as a dag (the schema package cannot check steps)`,
          );
    }
    for (const { where, container: c, podSecurity } of containersOf(m)) {
      for (const kind of ['requests', 'limits'])
        for (const r of ['cpu', 'memory'])
          if (!c.resources?.[kind]?.[r])
            problems.push(`${where}: no ${kind}.${r}`);
      const sc = c.securityContext ?? {};
      if (sc.privileged === true) problems.push(`${where}: privileged`);
      if (sc.allowPrivilegeEscalation !== false)
        problems.push(`${where}: allowPrivilegeEscalation is not false`);
      const nonRoot =
        sc.runAsNonRoot === true || podSecurity?.runAsNonRoot === true;
      if (!nonRoot && !ROOT_ALLOWED.has(c.name))
        problems.push(`${where}: does not set runAsNonRoot`);
    }
  }
  for (const ns of namespaces)
    if (!denyAll.has(ns))
      problems.push(`namespace ${ns} has no deny-all NetworkPolicy`);
  return problems;
}
