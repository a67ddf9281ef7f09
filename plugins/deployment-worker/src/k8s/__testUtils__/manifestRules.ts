import { isDns1123Label, isDns1123Subdomain } from '../names';
import type { Manifest } from './manifests';

/**
 * Flagstage's own rules, for what the official schemas let through (they do
 * not check names, labels, missing policies, limits or security settings).
 * `manifestRules` returns one sentence per violation; [] means compliant.
 */

/** Labels on every object created for an instance. */
export const INSTANCE_LABELS = [
  'app.kubernetes.io/managed-by',
  'flagstage.io/instance',
  'flagstage.io/contest',
  'flagstage.io/team',
  'flagstage.io/challenge',
] as const;

/** The namespace carries the expiry as well. */
export const NAMESPACE_LABELS = [
  ...INSTANCE_LABELS,
  'flagstage.io/expires-at',
] as const;

/** Kinds created per instance, which must carry INSTANCE_LABELS. */
const INSTANCE_KINDS = new Set([
  'Namespace',
  'Service',
  'Job',
  'Pod',
  'NetworkPolicy',
  'Secret',
  'Workflow',
]);

/** Kinds whose names must be DNS-1123 labels (they become DNS names). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);

/**
 * The one documented exception: Kaniko needs root to unpack image layers
 * (see charts/flagstage/files/argo/build-challenge.yaml). Keyed by
 * `<WorkflowTemplate name>/<template name>` so no other container named
 * `kaniko` inherits it.
 */
export const ROOT_EXCEPTIONS = new Set(['build-challenge/kaniko']);

type Json = Record<string, any>;
type Container = {
  where: string;
  container: Json;
  pod?: Json;
  exception: boolean;
};

function workflowSpecOf(o: Json): Json | undefined {
  if (o.kind === 'CronWorkflow') return o.spec?.workflowSpec;
  if (o.kind === 'WorkflowTemplate' || o.kind === 'Workflow') return o.spec;
  return undefined;
}

/** Every container of a manifest: pod specs, and Argo container/script templates. */
function containersOf(m: Manifest): Container[] {
  const o = m.object;
  let podSpec: Json | undefined;
  if (o.kind === 'Pod') podSpec = o.spec;
  if (o.kind === 'Job') podSpec = o.spec?.template?.spec;
  const out: Container[] = [];
  for (const c of [
    ...(podSpec?.initContainers ?? []),
    ...(podSpec?.containers ?? []),
  ])
    out.push({
      where: `${m.source}: container ${c.name}`,
      container: c,
      pod: podSpec?.securityContext,
      exception: false,
    });
  const wf = workflowSpecOf(o);
  for (const t of wf?.templates ?? []) {
    const c = t.container ?? t.script;
    if (c)
      out.push({
        where: `${m.source}: template ${t.name}`,
        container: c,
        pod: t.securityContext ?? wf?.securityContext,
        exception: ROOT_EXCEPTIONS.has(`${o.metadata?.name}/${t.name}`),
      });
  }
  return out;
}

/** A NetworkPolicy that selects every pod and allows nothing in or out. */
export function isDenyAll(o: Json): boolean {
  const spec = o.spec ?? {};
  const types: string[] = spec.policyTypes ?? [];
  return (
    o.kind === 'NetworkPolicy' &&
    spec.podSelector !== undefined &&
    Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 &&
    (spec.podSelector.matchExpressions ?? []).length === 0 &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    !(spec.ingress ?? []).length &&
    !(spec.egress ?? []).length
  );
}

function checkName(m: Manifest, problems: string[]) {
  const o = m.object;
  const name = o.metadata?.name;
  if (typeof name !== 'string') {
    problems.push(`${m.source}: ${o.kind} has no metadata.name`);
    return;
  }
  if (
    LABEL_NAMED.has(o.kind) ? !isDns1123Label(name) : !isDns1123Subdomain(name)
  )
    problems.push(
      `${m.source}: ${o.kind} name "${name}" is not a DNS-1123 ${
        LABEL_NAMED.has(o.kind) ? 'label' : 'subdomain'
      }`,
    );
}

function checkLabels(
  where: string,
  what: string,
  labels: Json | undefined,
  required: readonly string[],
  problems: string[],
) {
  for (const l of required)
    if (!labels?.[l]) problems.push(`${where}: ${what} lacks label ${l}`);
  if (
    labels?.['app.kubernetes.io/managed-by'] &&
    labels['app.kubernetes.io/managed-by'] !== 'flagstage'
  )
    problems.push(`${where}: ${what} is not managed-by flagstage`);
}

/**
 * Allows must be explicit: an ingress rule without `from` admits every
 * source, one without `ports` every port (likewise `to`/`ports` for egress).
 */
function checkAllows(m: Manifest, problems: string[]) {
  const name = m.object.metadata?.name;
  for (const rule of m.object.spec?.ingress ?? []) {
    if (!(rule.from ?? []).length)
      problems.push(
        `${m.source}: NetworkPolicy ${name} allows ingress from anywhere`,
      );
    if (!(rule.ports ?? []).length)
      problems.push(
        `${m.source}: NetworkPolicy ${name} allows ingress on every port`,
      );
  }
  for (const rule of m.object.spec?.egress ?? []) {
    if (!(rule.to ?? []).length)
      problems.push(
        `${m.source}: NetworkPolicy ${name} allows egress to anywhere`,
      );
    if (!(rule.ports ?? []).length)
      problems.push(
        `${m.source}: NetworkPolicy ${name} allows egress on every port`,
      );
  }
}

function checkContainer(
  { where, container: c, pod, exception }: Container,
  problems: string[],
) {
  for (const kind of ['requests', 'limits'])
    for (const r of ['cpu', 'memory'])
      if (!c.resources?.[kind]?.[r])
        problems.push(`${where} has no ${kind}.${r}`);
  const sc = c.securityContext ?? {};
  if (sc.privileged === true) problems.push(`${where} is privileged`);
  if (sc.allowPrivilegeEscalation !== false)
    problems.push(`${where} does not set allowPrivilegeEscalation: false`);
  if (exception) return;
  const nonRoot = sc.runAsNonRoot ?? pod?.runAsNonRoot;
  if (nonRoot !== true)
    problems.push(`${where} does not set runAsNonRoot: true`);
  if ((sc.runAsUser ?? pod?.runAsUser) === 0)
    problems.push(`${where} runs as user 0`);
  if (!(sc.capabilities?.drop ?? []).includes('ALL'))
    problems.push(`${where} does not drop ALL capabilities`);
  if ((sc.capabilities?.add ?? []).length)
    problems.push(`${where} adds capabilities`);
}

/** Applies every rule to a set of manifests (deny-all is checked per namespace in the set). */
export function manifestRules(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const namespaces = new Map<string, string>();
  const denyAll = new Set<string>();
  for (const m of manifests) {
    const o = m.object;
    checkName(m, problems);
    if (INSTANCE_KINDS.has(o.kind))
      checkLabels(
        m.source,
        o.kind,
        o.metadata?.labels,
        o.kind === 'Namespace' ? NAMESPACE_LABELS : INSTANCE_LABELS,
        problems,
      );
    if (o.kind === 'Namespace') {
      namespaces.set(o.metadata?.name, m.source);
      const expires = o.metadata?.labels?.['flagstage.io/expires-at'];
      if (expires !== undefined && !/^\d+$/.test(String(expires)))
        problems.push(
          `${m.source}: flagstage.io/expires-at "${expires}" is not unix seconds`,
        );
    }
    if (isDenyAll(o)) denyAll.add(o.metadata?.namespace);
    if (o.kind === 'NetworkPolicy') checkAllows(m, problems);
    if (o.kind === 'Job') {
      const pod = o.spec?.template;
      checkLabels(
        m.source,
        'Job pod template',
        pod?.metadata?.labels,
        INSTANCE_LABELS,
        problems,
      );
      if (pod?.spec?.automountServiceAccountToken !== false)
        problems.push(
          `${m.source}: Job pods must set automountServiceAccountToken: false`,
        );
      if (o.spec?.activeDeadlineSeconds === undefined)
        problems.push(`${m.source}: Job has no activeDeadlineSeconds`);
      if (o.spec?.ttlSecondsAfterFinished === undefined)
        problems.push(`${m.source}: Job has no ttlSecondsAfterFinished`);
      const seccomp =
        pod?.spec?.securityContext?.seccompProfile?.type ??
        pod?.spec?.containers?.[0]?.securityContext?.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
        problems.push(`${m.source}: Job pods have no seccomp profile`);
    }
    const wf = workflowSpecOf(o);
    if (wf && o.kind !== 'Workflow') {
      if (!wf.ttlStrategy)
        problems.push(`${m.source}: ${o.kind} has no ttlStrategy`);
      if (!wf.activeDeadlineSeconds)
        problems.push(`${m.source}: ${o.kind} has no activeDeadlineSeconds`);
      if (!wf.serviceAccountName)
        problems.push(`${m.source}: ${o.kind} has no serviceAccountName`);
    }
    for (const t of wf?.templates ?? [])
      if (t.steps)
        problems.push(
          `${m.source}: template ${t.name} uses steps; write it as a dag (the schema package cannot check steps)`,
        );
    for (const c of containersOf(m)) checkContainer(c, problems);
  }
  for (const [ns, source] of namespaces)
    if (!denyAll.has(ns))
      problems.push(`${source}: namespace ${ns} has no deny-all NetworkPolicy`);
  return problems;
}
