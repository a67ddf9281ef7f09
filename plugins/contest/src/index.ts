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
export type {
  AdminContestChallenge,
  AdminSubmission,
  AdminTeam,
  Announcement,
  AttachChallengeRequest,
  ChallengeContestStats,
  ChallengeVisibility,
  ChallengeVisibilityResult,
  ContestApi,
  ContestCreateRequest,
  ContestDetail,
  ContestScoringDefaultsInput,
  ContestUpdateRequest,
  FlagIncident,
  ScoreboardPage,
  ScoreboardView,
  SubmissionOutcome,
  TeamBanRequest,
  TeamBanResult,
} from './api';
export { rootRouteRef, contestRouteRef } from './routes';
