import fs from 'node:fs';
import { stringify } from 'yaml';

/** A kubeconfig for one bearer token against the test API server. */
export function kubeconfigYaml(options: {
  server: string;
  caCert: string;
  user: string;
  token: string;
  namespace?: string;
}): string {
  const ca = fs.readFileSync(options.caCert).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'flagstage-test',
        cluster: { server: options.server, 'certificate-authority-data': ca },
      },
    ],
    users: [{ name: options.user, user: { token: options.token } }],
    contexts: [
      {
        name: options.user,
        context: {
          cluster: 'flagstage-test',
          user: options.user,
          ...(options.namespace ? { namespace: options.namespace } : {}),
        },
      },
    ],
    'current-context': options.user,
  });
}

export function writeKubeconfig(
  file: string,
  options: Parameters<typeof kubeconfigYaml>[0],
): string {
  fs.writeFileSync(file, kubeconfigYaml(options), { mode: 0o600 });
  return file;
}
