import { InputError } from '@backstage/errors';
import {
  DEFAULT_ARGO_NAMESPACE,
  InstanceIdentity,
  flagSecretName,
  labelsFor,
} from './names';

export type FlagSecretManifest = {
  apiVersion: 'v1';
  kind: 'Secret';
  type: 'Opaque';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
  };
  /** `stringData` so the API server does the base64; key FLAG. */
  stringData: { FLAG: string };
};

export type FlagSecretInput = InstanceIdentity & {
  flag: string;
  argoNamespace?: string;
};

/**
 * The Secret `flag-<instanceId>` (key FLAG) the worker creates in the argo
 * namespace before submitting the start workflow; start-challenge copies it
 * into the instance namespace and exposes it to the challenge as env FLAG.
 * The flag is never a workflow parameter. Error messages never contain it.
 */
export function renderFlagSecret(input: FlagSecretInput): FlagSecretManifest {
  const labels = labelsFor(input);
  if (typeof input.flag !== 'string' || input.flag.length === 0)
    throw new InputError('the flag is empty');
  // Secrets are limited to 1 MiB; a flag is a short string.
  if (Buffer.byteLength(input.flag, 'utf8') > 4096)
    throw new InputError('the flag is longer than 4096 bytes');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: flagSecretName(input.instanceId),
      namespace: input.argoNamespace ?? DEFAULT_ARGO_NAMESPACE,
      labels,
    },
    stringData: { FLAG: input.flag },
  };
}
