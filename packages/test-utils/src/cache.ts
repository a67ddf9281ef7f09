import { ConfigReader } from '@backstage/config';
import { CacheManager } from '@backstage/backend-defaults/cache';
import type { CacheService } from '@backstage/backend-plugin-api';
import { testServiceUrls, uniqueTestId } from './services';

/**
 * A Backstage cache service on the real Redis, namespaced under a unique
 * plugin id (`flagstage-test-<id>`) so suites never see each other's keys.
 *
 * @public
 */
export function createTestRedisCache(): {
  cache: CacheService;
  keyPrefix: string;
} {
  const pluginId = `flagstage-test-${uniqueTestId()}`;
  const manager = CacheManager.fromConfig(
    new ConfigReader({
      backend: { cache: { store: 'redis', connection: testServiceUrls.redis } },
    }),
  );
  return { cache: manager.forPlugin(pluginId), keyPrefix: pluginId };
}
