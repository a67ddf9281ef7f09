import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The Instances page. @public */
export const rootRouteRef = createRouteRef();

/** One instance's detail, under the Instances page. @public */
export const instanceRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/:id',
});
