import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  observabilityApiRef,
  ObservabilityClient,
} from '@flagstage/plugin-observability-react';

/** The observability API client. @public */
export const observabilityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: observabilityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ObservabilityClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Logs" tab of Challenge entities: the Loki search for the challenge. @public */
export const challengeLogsContent = EntityContentBlueprint.make({
  name: 'challenge-logs',
  params: {
    path: '/logs',
    title: 'Logs',
    filter: { kind: 'challenge' },
    loader: () =>
      import('@flagstage/plugin-observability-react').then(m => (
        <m.EntityLogsContent />
      )),
  },
});

/**
 * Log views for operators: a Logs tab on each Challenge entity (Loki search,
 * live tail, Grafana link) and `InstanceLogs` for the instance page.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'observability',
  title: 'Logs',
  extensions: [observabilityApi, challengeLogsContent],
});
