import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiTrophyLine } from '@remixicon/react';
import { contestApiRef, ContestClient } from './api';
import { contestRouteRef, rootRouteRef } from './routes';

/** The contest API client. @public */
export const contestApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: contestApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ContestClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The Contests page at /contests (the list) and /contests/:slug (one
 * contest's tabs); its title and icon make the "Contests" nav item.
 *
 * @public
 */
export const contestsPage = PageBlueprint.make({
  params: {
    path: '/contests',
    routeRef: rootRouteRef,
    title: 'Contests',
    icon: <RiTrophyLine />,
    loader: () =>
      import('./components/ContestsRoot').then(m => <m.ContestsRoot />),
  },
});

/** The "Contest" tab of Challenge entities: solves, attempts, first blood per contest. @public */
export const challengeContestContent = EntityContentBlueprint.make({
  name: 'challenge-contest',
  params: {
    path: '/contest',
    title: 'Contest',
    filter: { kind: 'challenge' },
    loader: () =>
      import('./components/EntityContestContent').then(m => (
        <m.EntityContestContent />
      )),
  },
});

/**
 * Staff pages for contests: settings, challenges, teams, submissions,
 * incidents, scoreboards and announcements, and a Contest tab on each
 * Challenge entity.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'contest',
  title: 'Contests',
  icon: <RiTrophyLine />,
  routes: { root: rootRouteRef, contest: contestRouteRef },
  extensions: [contestApi, contestsPage, challengeContestContent],
});
