import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { httpObservability } from './httpObservability';

/**
 * Backstage's root HTTP router with Flagstage's observability middleware
 * first (trace context and HTTP metrics for every request, plugin routes
 * included), then Backstage's defaults.
 *
 * @public
 */
export function flagstageRootHttpRouterServiceFactory(options: {
  service: string;
}) {
  return rootHttpRouterServiceFactory({
    configure({ app, applyDefaults }) {
      app.use(httpObservability(options.service));
      applyDefaults();
    },
  });
}
