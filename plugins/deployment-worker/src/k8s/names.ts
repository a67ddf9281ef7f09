import { InputError } from '@backstage/errors';

/** Label selector for everything Flagstage creates in the cluster. */
export const MANAGED_BY_SELECTOR = 'app.kubernetes.io/managed-by=flagstage';

export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  instance: 'flagstage.io/instance',
  contest: 'flagstage.io/contest',
  team: 'flagstage.io/team',
  challenge: 'flagstage.io/challenge',
  expiresAt: 'flagstage.io/expires-at',
} as const;

/** The annotation carrying the W3C traceparent of the request that started an instance. */
export const TRACEPARENT_ANNOTATION = 'flagstage.io/traceparent';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A DNS-1123 label: lowercase alphanumerics and '-', 1–63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length > 0 && value.length <= 63 && DNS1123_LABEL.test(value);
}

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters in all. */
export function isDns1123Subdomain(value: string): boolean {
  return (
    value.length > 0 && value.length <= 253 && DNS1123_SUBDOMAIN.test(value)
  );
}

/** A valid Kubernetes label value (at most 63 characters). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

function checkedId(instanceId: string): string {
  // fs-<id> and start-<id> must stay DNS-1123 labels.
  if (!isDns1123Label(`start-${instanceId}`))
    throw new InputError(
      `instance id "${instanceId}" cannot name Kubernetes objects (lowercase letters, digits and '-', at most 57 characters)`,
    );
  return instanceId;
}

export const namespaceFor = (instanceId: string) =>
  `fs-${checkedId(instanceId)}`;
export const startWorkflowName = (instanceId: string) =>
  `start-${checkedId(instanceId)}`;
export const stopWorkflowName = (instanceId: string) =>
  `stop-${checkedId(instanceId)}`;
export const flagSecretName = (instanceId: string) =>
  `flag-${checkedId(instanceId)}`;

/** Where the gateway reaches an instance: its `challenge` Service on 3333. */
export const targetFor = (instanceId: string) =>
  `challenge.${namespaceFor(instanceId)}.svc.cluster.local:3333`;

/** The instance id a namespace name stands for, if it is one of ours. */
export function instanceOfNamespace(name: string): string | undefined {
  return name.startsWith('fs-') ? name.slice(3) : undefined;
}

/**
 * The Flagstage labels of an instance's objects. Values that are not valid
 * label values (a contest or team id with other characters) are refused.
 */
export function labelsFor(input: {
  instanceId: string;
  contestId: string;
  teamId: string;
  challengeName: string;
}): Record<string, string> {
  const labels: Record<string, string> = {
    [LABELS.managedBy]: 'flagstage',
    [LABELS.instance]: checkedId(input.instanceId),
    [LABELS.contest]: input.contestId,
    [LABELS.team]: input.teamId,
    [LABELS.challenge]: input.challengeName,
  };
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelValue(value))
      throw new InputError(`"${value}" cannot be the value of label ${key}`);
  }
  return labels;
}
