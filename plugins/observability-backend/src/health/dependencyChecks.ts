import { randomUUID } from 'node:crypto';
import type {
  CacheService,
  DatabaseService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { HealthCheck } from '@flagstage/plugin-observability-node';
import { VersionApi, type KubeConfig } from '@kubernetes/client-node';
import { kubeConfigFrom } from '@flagstage/backend-node';

/**
 * The API server this deployment talks to: the cluster named by
 * `observability.kubernetes.cluster`, else the worker's
 * (`deploymentWorker.kubernetes.cluster`), else the in-cluster service
 * account; undefined when the deployment uses no cluster.
 */
export function kubeConfigFromConfig(
  config: RootConfigService,
): KubeConfig | undefined {
  const useKubernetes =
    config.has('observability.kubernetes') ||
    config.getOptionalString('deploymentWorker.driver') === 'kubernetes';
  if (!useKubernetes) return undefined;
  return kubeConfigFrom(
    config,
    config.getOptionalString('observability.kubernetes.cluster') ??
      config.getOptionalString('deploymentWorker.kubernetes.cluster'),
  );
}

/**
 * The dependency checks of a Flagstage backend: its database (a query), its
 * cache (a write and a read back), and the Kubernetes API (its version) when
 * this deployment uses a cluster. Modules add more through
 * `healthChecksExtensionPoint` (the deployment queue's depth comes from
 * `@flagstage/plugin-deployment-node`).
 */
export function dependencyChecks(options: {
  config: RootConfigService;
  database: DatabaseService;
  cache: CacheService;
}): HealthCheck[] {
  const { config, database, cache } = options;
  const kube = kubeConfigFromConfig(config);
  const versionApi = kube?.makeApiClient(VersionApi);
  const dbClient =
    config.getOptionalString('backend.database.client') ?? 'unknown';
  const cacheStore =
    config.getOptionalString('backend.cache.store') ?? 'memory';
  return [
    {
      name: 'database',
      critical: true,
      check: async () => {
        const db = await database.getClient();
        await db.raw('select 1');
        return dbClient;
      },
    },
    {
      name: 'cache',
      critical: false,
      check: async () => {
        const key = `health:${randomUUID()}`;
        await cache.set(key, 1, { ttl: 10_000 });
        if ((await cache.get(key)) !== 1)
          throw new Error('a value written to the cache did not read back');
        await cache.delete(key);
        return cacheStore;
      },
    },
    {
      name: 'kubernetes',
      critical: false,
      check: async () => {
        if (!versionApi) return 'disabled';
        const v = await versionApi.getCode();
        return v.gitVersion;
      },
    },
  ];
}
