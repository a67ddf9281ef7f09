import { InputError } from '@backstage/errors';
import {
  DEFAULT_ARGO_NAMESPACE,
  FLAGSTAGE_LABELS,
  TRACEPARENT_ANNOTATION,
  flagSecretName,
  labelsFor,
  namespaceFor,
  startWorkflowName,
} from './names';
import { WorkflowManifest, traceAnnotations } from './workflowManifest';

/** What the start workflow needs; argo-templates/start-challenge.yaml documents each parameter. */
export type StartWorkflowInput = {
  instanceId: string;
  contestId: string;
  teamId: string;
  challengeName: string;
  /** Image reference, e.g. `registry.example/ctf/web:1`. */
  image: string;
  /** The port the challenge listens on (the Service's targetPort). */
  port: number;
  protocol: 'http' | 'tcp';
  /** When the instance expires (label flagstage.io/expires-at, unix seconds). */
  expiresAt: Date;
  /** Seconds the challenge Job may run (its activeDeadlineSeconds). */
  ttlSeconds: number;
  /** CPU quantity (requests = limits); the template's default is 500m. */
  cpu?: string;
  /** Memory quantity (requests = limits); the template's default is 256Mi. */
  memory?: string;
  /** Read-only root filesystem. */
  harden?: boolean;
  /** Run under gVisor (runtimeClassName gvisor). */
  gvisor?: boolean;
  /** W3C traceparent of the request that started the instance. */
  traceparent?: string;
  /** Where Argo runs; default `argo`. */
  argoNamespace?: string;
};

/**
 * The parameters the worker passes to start-challenge, in this order.
 * `image-pull-secret` and `gateway-namespace` are cluster settings with
 * defaults in the template and are deliberately not passed.
 */
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

export type StartParameter = (typeof START_PARAMETERS)[number];

/** The defaults start-challenge declares for cpu and memory. */
export const DEFAULT_CPU = '500m';
export const DEFAULT_MEMORY = '256Mi';

// Kubernetes resource.Quantity (decimal / binary SI suffixes, exponents).
const QUANTITY =
  /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
// A container image reference; whitespace, quotes and braces could break out
// of the YAML manifest the template builds, so they are refused outright.
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

function quantity(name: string, value: string): string {
  if (!QUANTITY.test(value))
    throw new InputError(`${name} "${value}" is not a Kubernetes quantity`);
  return value;
}

/**
 * The Workflow the worker submits to start an instance: a reference to the
 * `start-challenge` WorkflowTemplate with string parameters. The name is
 * deterministic (`start-<instanceId>`): submitting it twice gives 409
 * AlreadyExists, never a second deploy. The flag is not a parameter
 * (parameters are readable by anyone who can read workflows): it travels as
 * the Secret named in `flag-secret` (see renderFlagSecret).
 *
 * Throws InputError when an input cannot make a valid workflow.
 */
export function renderStartWorkflow(
  input: StartWorkflowInput,
): WorkflowManifest {
  const labels = labelsFor(input);
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)
    throw new InputError(`port ${input.port} is not a TCP port`);
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

  const values: Record<StartParameter, string> = {
    namespace: namespaceFor(input.instanceId),
    'instance-id': input.instanceId,
    'contest-id': input.contestId,
    'team-id': input.teamId,
    challenge: input.challengeName,
    image: input.image,
    port: String(input.port),
    protocol: input.protocol,
    'expires-at': expiresAt,
    // Whole seconds; a fraction would round the instance's life down to 0.
    'active-deadline-seconds': String(Math.ceil(input.ttlSeconds)),
    cpu: quantity('cpu', input.cpu ?? DEFAULT_CPU),
    memory: quantity('memory', input.memory ?? DEFAULT_MEMORY),
    harden: input.harden ? 'true' : 'false',
    gvisor: input.gvisor ? 'true' : 'false',
    'flag-secret': flagSecretName(input.instanceId),
  };
  const annotations = traceAnnotations(
    TRACEPARENT_ANNOTATION,
    input.traceparent,
  );
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: startWorkflowName(input.instanceId),
      namespace: input.argoNamespace ?? DEFAULT_ARGO_NAMESPACE,
      labels: { ...labels, [FLAGSTAGE_LABELS.expiresAt]: expiresAt },
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
