import { KubeConfig } from '@kubernetes/client-node';
import type { Config } from '@backstage/config';

/**
 * The kubeconfig for `deploymentWorker.kubernetes`: an explicit cluster
 * (`cluster.url`, `cluster.token`, `cluster.caData`, `cluster.skipTLSVerify`),
 * a kubeconfig file (`kubeconfigPath`), or — the default, for the worker
 * running in the cluster — its service account.
 */
export function kubeConfigFrom(config: Config | undefined): KubeConfig {
  const kc = new KubeConfig();
  const cluster = config?.getOptionalConfig('cluster');
  const file = config?.getOptionalString('kubeconfigPath');
  if (cluster) {
    kc.loadFromOptions({
      clusters: [
        {
          name: 'flagstage',
          server: cluster.getString('url'),
          caData: cluster.getOptionalString('caData'),
          skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
        },
      ],
      users: [{ name: 'flagstage', token: cluster.getOptionalString('token') }],
      contexts: [
        { name: 'flagstage', cluster: 'flagstage', user: 'flagstage' },
      ],
      currentContext: 'flagstage',
    });
  } else if (file) {
    kc.loadFromFile(file);
  } else {
    kc.loadFromCluster();
  }
  return kc;
}
