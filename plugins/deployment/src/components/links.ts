import { useRouteRef } from '@backstage/frontend-plugin-api';
import { instanceRouteRef, rootRouteRef } from '../routes';

/** The path of an instance's detail. */
export function useInstanceLink(): (id: string) => string {
  const route = useRouteRef(instanceRouteRef);
  return id =>
    route ? route({ id: encodeURIComponent(id) }) : encodeURIComponent(id);
}

/** The path of the Instances page. */
export function useInstancesLink(): string {
  const route = useRouteRef(rootRouteRef);
  return route ? route() : '..';
}
