import {
  isActiveState,
  type InstanceState,
} from '@flagstage/plugin-deployment-common';

/** How often the list and the queue refresh. */
export const LIST_REFRESH_MS = 5000;
/** How often an active instance's detail and output refresh. */
export const DETAIL_REFRESH_MS = 3000;
/** How often a challenge's builds refresh while one is QUEUED or RUNNING. */
export const BUILD_REFRESH_MS = 5000;
/** Lines of output shown. */
export const OUTPUT_TAIL = 200;

/** States an operator can stop from (STOPPING is already on its way). */
export function canStopState(state: InstanceState): boolean {
  return isActiveState(state) && state !== 'STOPPING';
}
