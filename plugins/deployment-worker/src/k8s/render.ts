import { InputError } from '@backstage/errors';
import {
  LABELS,
  TRACEPARENT_ANNOTATION,
  flagSecretName,
  labelsFor,
  namespaceFor,
  startWorkflowName,
  stopWorkflowName,
} from './names';

/** What the start workflow needs; see argo-templates/start-challenge.yaml for each parameter. */
export type StartWorkflowInput = {
  instanceId: string;
  contestId: string;
  teamId: string;
  challengeName: string;
  image: string;
  port?: number;
  protocol: 'http' | 'tcp';
  expiresAt: Date;
  /** Seconds the Job may run (its activeDeadlineSeconds). */
  ttlSeconds: number;
  cpu?: string;
  memory?: string;
  harden?: boolean;
  gvisor?: boolean;
  traceparent?: string;
  argoNamespace?: string;
};

/** The parameters start-challenge declares, in its order. */
export const START_PARAMETERS = [
  'namespace',
  'instance-id',
  'contest-id',
  'team-id',
  'challenge',
  'image',
  'port',
  'protocol',
  'expires-at',
  'active-deadline-seconds',
  'cpu',
  'memory',
  'harden',
  'gvisor',
  'flag-secret',
] as const;

/**
 * The Workflow the worker submits to start an instance: a reference to the
 * `start-challenge` WorkflowTemplate with string parameters. Deterministic
 * name (`start-<instance>`): a second submit is a 409, not a second deploy.
 * The flag is not a parameter (workflow parameters are readable by anyone
 * who can read workflows): it travels as the Secret named in `flag-secret`.
 */
// Kubernetes resource.Quantity (decimal / binary SI suffixes, exponents).
const QUANTITY =
  /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
// A container image reference; whitespace, quotes and braces could break out
// of the YAML manifest the template builds, so they are refused outright.
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function quantity(name: string, value: string): string {
  if (!QUANTITY.test(value))
    throw new InputError(`${name} "${value}" is not a Kubernetes quantity`);
  return value;
}

/**
 * The workflow's trace annotation: diagnostic only, so a malformed
 * traceparent is dropped rather than failing the deploy.
 */
function traceAnnotations(traceparent?: string) {
  return traceparent && TRACEPARENT.test(traceparent)
    ? { [TRACEPARENT_ANNOTATION]: traceparent }
    : undefined;
}

/**
 * The Workflow the worker submits to start an instance: a reference to the
 * `start-challenge` WorkflowTemplate with string parameters. Deterministic
 * name (`start-<instance>`): a second submit is a 409, not a second deploy.
 * The flag is not a parameter (workflow parameters are readable by anyone
 * who can read workflows): it travels as the Secret named in `flag-secret`.
 * Throws InputError when an input cannot make a valid workflow.
 */
export function renderStartWorkflow(input: StartWorkflowInput) {
  const labels = labelsFor(input);
  const port = input.port ?? 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InputError(`port ${port} is not a TCP port`);
  if (input.protocol !== 'http' && input.protocol !== 'tcp')
    throw new InputError(`protocol "${input.protocol}" is not http or tcp`);
  if (!IMAGE.test(input.image))
    throw new InputError(`image "${input.image}" is not an image reference`);
  const expiresAtMs = input.expiresAt?.getTime?.();
  if (expiresAtMs === undefined || !Number.isFinite(expiresAtMs))
    throw new InputError('expiresAt is not a valid date');
  if (!Number.isFinite(input.ttlSeconds) || input.ttlSeconds <= 0)
    throw new InputError(`ttlSeconds ${input.ttlSeconds} is not positive`);
  const expiresAt = String(Math.floor(expiresAtMs / 1000));
  const values: Record<(typeof START_PARAMETERS)[number], string> = {
    namespace: namespaceFor(input.instanceId),
    'instance-id': input.instanceId,
    'contest-id': input.contestId,
    'team-id': input.teamId,
    challenge: input.challengeName,
    image: input.image,
    port: String(port),
    protocol: input.protocol,
    'expires-at': expiresAt,
    // Whole seconds; a fraction would round the instance's life down to 0.
    'active-deadline-seconds': String(Math.ceil(input.ttlSeconds)),
    cpu: quantity('cpu', input.cpu ?? '500m'),
    memory: quantity('memory', input.memory ?? '256Mi'),
    harden: input.harden ? 'true' : 'false',
    gvisor: input.gvisor ? 'true' : 'false',
    'flag-secret': flagSecretName(input.instanceId),
  };
  const annotations = traceAnnotations(input.traceparent);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: startWorkflowName(input.instanceId),
      namespace: input.argoNamespace ?? 'argo',
      labels: { ...labels, [LABELS.expiresAt]: expiresAt },
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      workflowTemplateRef: { name: 'start-challenge' },
      arguments: {
        parameters: START_PARAMETERS.map(name => ({
          name,
          value: values[name],
        })),
      },
    },
  };
}

/** The parameters stop-challenge declares. */
export const STOP_PARAMETERS = ['namespace', 'instance-id'] as const;

/** The Workflow that stops an instance (deletes its namespace). */
export function renderStopWorkflow(input: {
  instanceId: string;
  argoNamespace?: string;
  /** The namespace's labels, copied so the stop is found by the same selectors. */
  labels?: Record<string, string>;
}) {
  const labels: Record<string, string> = {
    ...(input.labels ?? {}),
    [LABELS.managedBy]: 'flagstage',
    [LABELS.instance]: input.instanceId,
  };
  delete labels[LABELS.expiresAt];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: stopWorkflowName(input.instanceId),
      namespace: input.argoNamespace ?? 'argo',
      labels,
    },
    spec: {
      workflowTemplateRef: { name: 'stop-challenge' },
      arguments: {
        parameters: [
          { name: 'namespace', value: namespaceFor(input.instanceId) },
          { name: 'instance-id', value: input.instanceId },
        ],
      },
    },
  };
}

/** The Secret holding an instance's FLAG, which start-challenge copies into the instance namespace. */
export function renderFlagSecret(input: {
  instanceId: string;
  flag: string;
  contestId: string;
  teamId: string;
  challengeName: string;
  argoNamespace?: string;
}) {
  // The message never echoes the flag.
  if (!input.flag) throw new InputError('the flag is empty');
  if (Buffer.byteLength(input.flag, 'utf8') > 4096)
    throw new InputError('the flag is longer than 4096 bytes');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: flagSecretName(input.instanceId),
      namespace: input.argoNamespace ?? 'argo',
      labels: labelsFor(input),
    },
    stringData: { FLAG: input.flag },
  };
}

/** The parameters build-challenge declares. */
export const BUILD_PARAMETERS = [
  'build-id',
  'challenge',
  'context',
  'context-sub-path',
  'dockerfile',
  'registry',
  'tag',
  'callback-url',
  'callback-token-secret',
] as const;

/** The labels of a build's objects (builds belong to a challenge, not an instance). */
const buildLabels = (buildId: string, challengeName: string) => ({
  [LABELS.managedBy]: 'flagstage',
  'flagstage.io/build': buildId,
  [LABELS.challenge]: challengeName,
});

export const buildWorkflowName = (buildId: string) =>
  `build-${checkedBuildId(buildId)}`;
export const buildTokenSecretName = (buildId: string) =>
  `build-token-${checkedBuildId(buildId)}`;

function checkedBuildId(id: string) {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id) || id.length > 50)
    throw new Error(`build id "${id}" cannot name Kubernetes objects`);
  return id;
}

/**
 * The Workflow that builds a challenge image with Kaniko; its exit handler
 * reports to `callbackUrl` with the token from Secret `build-token-<id>`
 * (never a parameter).
 */
export function renderBuildWorkflow(input: {
  buildId: string;
  challengeName: string;
  context: string;
  contextSubPath?: string;
  dockerfile?: string;
  registry: string;
  tag?: string;
  callbackUrl: string;
  argoNamespace?: string;
}) {
  const values: Record<(typeof BUILD_PARAMETERS)[number], string> = {
    'build-id': input.buildId,
    challenge: input.challengeName,
    context: input.context,
    'context-sub-path': input.contextSubPath ?? '.',
    dockerfile: input.dockerfile ?? 'Dockerfile',
    registry: input.registry.replace(/\/$/, ''),
    tag: input.tag ?? 'latest',
    'callback-url': input.callbackUrl,
    'callback-token-secret': buildTokenSecretName(input.buildId),
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: buildWorkflowName(input.buildId),
      namespace: input.argoNamespace ?? 'argo',
      labels: buildLabels(input.buildId, input.challengeName),
    },
    spec: {
      workflowTemplateRef: { name: 'build-challenge' },
      arguments: {
        parameters: BUILD_PARAMETERS.map(name => ({
          name,
          value: values[name],
        })),
      },
    },
  };
}

/** The Secret holding a build's callback token. */
export function renderBuildTokenSecret(input: {
  buildId: string;
  token: string;
  challengeName: string;
  argoNamespace?: string;
}) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: buildTokenSecretName(input.buildId),
      namespace: input.argoNamespace ?? 'argo',
      labels: buildLabels(input.buildId, input.challengeName),
    },
    stringData: { TOKEN: input.token },
  };
}
