import type { CoreV1Api } from '@kubernetes/client-node';

/**
 * A ServiceAccount token from the TokenRequest API: what the kubelet projects
 * into a pod (`pod` given: bound to it, invalid once it is gone).
 */
export async function requestServiceAccountToken(
  core: CoreV1Api,
  namespace: string,
  name: string,
  options: {
    expirationSeconds?: number;
    pod?: { name: string; uid: string };
  } = {},
): Promise<string> {
  const res = await core.createNamespacedServiceAccountToken({
    namespace,
    name,
    body: {
      spec: {
        audiences: [],
        expirationSeconds: options.expirationSeconds ?? 3600,
        ...(options.pod
          ? {
              boundObjectRef: { apiVersion: 'v1', kind: 'Pod', ...options.pod },
            }
          : {}),
      },
    },
  });
  const token = res.status?.token;
  if (!token) throw new Error(`no token for ${namespace}/${name}`);
  return token;
}
