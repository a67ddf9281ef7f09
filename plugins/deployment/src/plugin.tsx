import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiInstanceLine } from '@remixicon/react';
import { deploymentApiRef, DeploymentClient } from './api';
import { instanceRouteRef, rootRouteRef } from './routes';

/** The deployment API client. @public */
export const deploymentApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: deploymentApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeploymentClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The Instances page at /instances (an instance's detail at
 * /instances/:id); its title and icon make the nav item.
 *
 * @public
 */
export const instancesPage = PageBlueprint.make({
  params: {
    path: '/instances',
    routeRef: rootRouteRef,
    title: 'Instances',
    icon: <RiInstanceLine />,
    loader: () =>
      import('./components/InstancesPage').then(m => <m.InstancesPage />),
  },
});

/**
 * The "Builds" card on Challenge entities: the challenge's image builds and
 * a "Build image" button. Shown on every Challenge; one without
 * `spec.runtime.build` says so instead of listing builds, so authors learn
 * why there is nothing to build.
 *
 * @public
 */
export const challengeBuildsCard = EntityCardBlueprint.make({
  name: 'challenge-builds',
  params: {
    filter: { kind: 'challenge' },
    type: 'content',
    loader: () =>
      import('./components/ChallengeBuildsCard').then(m => (
        <m.ChallengeBuildsCard />
      )),
  },
});

/**
 * Challenge instances for operators: states, the deploy queue, stop and
 * extend, each instance's timeline and captured output; and the image
 * builds of each Challenge entity.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'deployment',
  title: 'Instances',
  icon: <RiInstanceLine />,
  routes: { root: rootRouteRef, instance: instanceRouteRef },
  extensions: [deploymentApi, instancesPage, challengeBuildsCard],
});
