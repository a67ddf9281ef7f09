/**
 * Run by kubernetesBackendProcess.ts in a plain Node process: a minimal
 * Backstage backend with only @backstage/plugin-kubernetes-backend (it loads
 * @kubernetes/client-node with a dynamic import(), which Jest's module sandbox
 * refuses without --experimental-vm-modules). The config and the catalog's
 * entities come as JSON in FLAGSTAGE_KUBERNETES_BACKEND; prints `kubernetes-backend-ready` once
 * the backend listens and stops on SIGTERM.
 */
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

async function main() {
  const { config, entities } = JSON.parse(
    process.env.FLAGSTAGE_KUBERNETES_BACKEND ?? '{}',
  );
  const backend = createBackend();
  backend.add(mockServices.rootConfig.factory({ data: config }));
  // The portal's catalog, holding the entities the test gives: the plugin
  // reads the posted entity back from it before it queries the clusters.
  backend.add(catalogServiceMock.factory({ entities }));
  backend.add(import('@backstage/plugin-kubernetes-backend'));
  await backend.start();
  process.stdout.write('kubernetes-backend-ready\n');
  process.once('SIGTERM', () => {
    backend.stop().finally(() => process.exit(0));
  });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
