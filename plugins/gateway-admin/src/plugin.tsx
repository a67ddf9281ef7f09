import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { RiRouterLine } from '@remixicon/react';
import { gatewayAdminApiRef, GatewayAdminClient } from './api';
import { rootRouteRef } from './routes';

/** The gateway-admin API client. @public */
export const gatewayAdminApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gatewayAdminApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GatewayAdminClient({ discoveryApi, fetchApi }),
    }),
});

/** The Gateway page at /gateway; its title and icon make the nav item. @public */
export const gatewayAdminPage = PageBlueprint.make({
  params: {
    path: '/gateway',
    routeRef: rootRouteRef,
    title: 'Gateway',
    icon: <RiRouterLine />,
    loader: () =>
      import('./components/GatewayPage').then(m => <m.GatewayPage />),
  },
});

/**
 * Gateway admin for operators: limits, revocations, live connections and
 * top talkers of the Challenge Gateway.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'gateway-admin',
  title: 'Gateway',
  icon: <RiRouterLine />,
  routes: { root: rootRouteRef },
  extensions: [gatewayAdminApi, gatewayAdminPage],
});
