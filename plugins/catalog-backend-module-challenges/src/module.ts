import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ChallengeEntityProcessor } from './ChallengeEntityProcessor';

/**
 * Catalog module that registers the Challenge entity kind.
 *
 * @public
 */
export const catalogModuleChallenges = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'challenges',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new ChallengeEntityProcessor());
      },
    });
  },
});
