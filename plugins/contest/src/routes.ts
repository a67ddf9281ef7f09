import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The contests list, /contests. @public */
export const rootRouteRef = createRouteRef();

/** One contest's page, /contests/:slug. @public */
export const contestRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/:slug',
});
