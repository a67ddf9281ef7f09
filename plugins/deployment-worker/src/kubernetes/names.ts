import { InputError } from '@backstage/errors';

/**
 * Names and labels of everything Flagstage creates in the cluster (see the
 * Kubernetes contracts: namespace `fs-<id>`, workflows `start-<id>` /
 * `stop-<id>`, Secret `flag-<id>`, the Flagstage labels).
 */

/** The label keys on every object Flagstage creates. */
export const FLAGSTAGE_LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  instance: 'flagstage.io/instance',
  contest: 'flagstage.io/contest',
  team: 'flagstage.io/team',
  challenge: 'flagstage.io/challenge',
  /** Only on the namespace (and the start workflow): unix seconds. */
  expiresAt: 'flagstage.io/expires-at',
} as const;

/** The value of `app.kubernetes.io/managed-by`. */
export const MANAGED_BY = 'flagstage';

/** The annotation that carries the W3C traceparent of the request. */
export const TRACEPARENT_ANNOTATION = 'flagstage.io/traceparent';

/** The namespace Argo Workflows (and the flag Secrets) live in. */
export const DEFAULT_ARGO_NAMESPACE = 'argo';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A DNS-1123 label (RFC 1123, as Kubernetes checks it): 1–63 lowercase
 * alphanumerics or '-', starting and ending alphanumeric. Namespace and
 * Service names must be one.
 */
export function isDns1123Label(value: string): boolean {
  return value.length >= 1 && value.length <= 63 && DNS1123_LABEL.test(value);
}

/**
 * A DNS-1123 subdomain as Kubernetes checks it (IsDNS1123Subdomain): at
 * most 253 characters in all, dot-separated parts of lowercase alphanumerics
 * and '-' that start and end alphanumeric (Kubernetes caps only the total).
 * Most object names (Secret, Job, Workflow, NetworkPolicy) must be one.
 */
export function isDns1123Subdomain(value: string): boolean {
  return (
    value.length >= 1 &&
    value.length <= 253 &&
    value.split('.').every(part => DNS1123_LABEL.test(part))
  );
}

/** A valid label value: empty, or ≤63 alphanumerics, '-', '_', '.' starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

// The longest prefix put in front of an instance id. Every derived name must
// remain a DNS-1123 label, so an id may have at most 63 - 6 = 57 characters.
const LONGEST_PREFIX = 'start-';

/**
 * Returns the instance id if every name derived from it (`fs-`, `start-`,
 * `stop-`, `flag-` + id) is a DNS-1123 label, and it is a valid label value;
 * throws InputError otherwise.
 */
export function checkInstanceId(instanceId: string): string {
  if (
    typeof instanceId !== 'string' ||
    !isDns1123Label(instanceId) ||
    !isDns1123Label(`${LONGEST_PREFIX}${instanceId}`)
  ) {
    throw new InputError(
      `Instance id "${instanceId}" cannot name Kubernetes objects: it must be lowercase letters, digits and '-', start and end with a letter or digit, and have at most ${
        63 - LONGEST_PREFIX.length
      } characters`,
    );
  }
  return instanceId;
}

/** The instance's namespace: `fs-<instanceId>`. */
export const namespaceFor = (instanceId: string): string =>
  `fs-${checkInstanceId(instanceId)}`;

/** The start workflow's name: `start-<instanceId>` (deterministic, so a redelivered job gets 409). */
export const startWorkflowName = (instanceId: string): string =>
  `start-${checkInstanceId(instanceId)}`;

/** The stop workflow's name: `stop-<instanceId>`. */
export const stopWorkflowName = (instanceId: string): string =>
  `stop-${checkInstanceId(instanceId)}`;

/** The flag Secret's name in the argo namespace: `flag-<instanceId>`. */
export const flagSecretName = (instanceId: string): string =>
  `flag-${checkInstanceId(instanceId)}`;

/** Where the gateway reaches an instance: its `challenge` Service, port 3333. */
export const upstreamFor = (instanceId: string): string =>
  `challenge.${namespaceFor(instanceId)}.svc.cluster.local:3333`;

/** What identifies an instance's objects. */
export type InstanceIdentity = {
  instanceId: string;
  contestId: string;
  teamId: string;
  challengeName: string;
};

/**
 * The Flagstage labels of an instance's objects (without expires-at, which
 * only the namespace and the start workflow carry). Throws InputError for a
 * bad instance id or for ids/names that are not valid label values.
 */
export function labelsFor(identity: InstanceIdentity): Record<string, string> {
  const labels: Record<string, string> = {
    [FLAGSTAGE_LABELS.managedBy]: MANAGED_BY,
    [FLAGSTAGE_LABELS.instance]: checkInstanceId(identity.instanceId),
    [FLAGSTAGE_LABELS.contest]: identity.contestId,
    [FLAGSTAGE_LABELS.team]: identity.teamId,
    [FLAGSTAGE_LABELS.challenge]: identity.challengeName,
  };
  for (const [key, value] of Object.entries(labels)) {
    // An empty value is a valid label value but useless as an identity.
    if (typeof value !== 'string' || value === '' || !isLabelValue(value)) {
      throw new InputError(
        `"${value}" cannot be the value of label ${key}: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      );
    }
  }
  return labels;
}
