import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Gateway page. @public */
export const rootRouteRef = createRouteRef();
