/**
 * Staff portal pages for Flagstage contests, and a Contest tab on Challenge
 * entities.
 *
 * @packageDocumentation
 */
export {
  default,
  contestApi,
  contestsPage,
  challengeContestContent,
} from './plugin';
export { contestApiRef, ContestClient } from './api';
export type { ContestApi } from './api';
export { rootRouteRef, contestRouteRef } from './routes';
