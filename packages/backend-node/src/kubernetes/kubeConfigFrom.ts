import { KubeConfig, type User } from '@kubernetes/client-node';
import type { Config } from '@backstage/config';

/** Where a pod's service account token is mounted (rotated by the kubelet). */
const SERVICE_ACCOUNT_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The Kubernetes API a Flagstage backend process talks to.
 *
 * Each cluster is declared once, in Backstage's own `kubernetes` block
 * (`kubernetes.clusterLocatorMethods[]` of `type: config`, `clusters[]`), the
 * entry the portal's Kubernetes plugin reads too. Flagstage processes name
 * the entry (`deploymentWorker.kubernetes.cluster`,
 * `observability.kubernetes.cluster`); without a name they use the pod's
 * in-cluster service account.
 *
 * From the entry: `url`, `caData` or `caFile`, `skipTLSVerify`, and, for
 * `authProvider: serviceAccount` (the only provider a backend process can use
 * without a user), `serviceAccountToken` — or, when that is unset, the
 * mounted service account token, as Backstage's Kubernetes plugin does.
 * Throws when the name is not declared or uses another auth provider.
 */
export function kubeConfigFrom(
  config: Config,
  clusterName?: string,
): KubeConfig {
  const kc = new KubeConfig();
  if (!clusterName) {
    kc.loadFromCluster();
    return kc;
  }
  const cluster = findCluster(config, clusterName);
  const authProvider =
    cluster.getOptionalString('authProvider') ?? 'serviceAccount';
  if (authProvider !== 'serviceAccount')
    throw new Error(
      `kubernetes cluster "${clusterName}" uses authProvider "${authProvider}"; Flagstage's backends need "serviceAccount"`,
    );
  const token = cluster.getOptionalString('serviceAccountToken');
  const user: User = token
    ? { name: clusterName, token }
    : {
        name: clusterName,
        authProvider: {
          name: 'tokenFile',
          config: { tokenFile: SERVICE_ACCOUNT_TOKEN_FILE },
        },
      };
  kc.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: cluster.getString('url'),
        caData: cluster.getOptionalString('caData'),
        caFile: cluster.getOptionalString('caFile'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
      },
    ],
    users: [user],
    contexts: [{ name: clusterName, cluster: clusterName, user: clusterName }],
    currentContext: clusterName,
  });
  return kc;
}

/** The `clusters[]` entry with this name in the config cluster locators. */
function findCluster(config: Config, name: string): Config {
  const clusters = (
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []
  )
    .filter(method => method.getString('type') === 'config')
    .flatMap(method => method.getOptionalConfigArray('clusters') ?? []);
  const cluster = clusters.find(c => c.getString('name') === name);
  if (!cluster) {
    const known = clusters.map(c => c.getString('name')).join(', ');
    throw new Error(
      `no kubernetes cluster named "${name}" in kubernetes.clusterLocatorMethods (type: config); declared: ${
        known || 'none'
      }`,
    );
  }
  return cluster;
}
