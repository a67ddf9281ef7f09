export { contestApiRef, type ContestApi } from './ContestApi';
export { ContestClient } from './ContestClient';
export type {
  AdminContestChallenge,
  AdminSubmission,
  AdminTeam,
  Announcement,
  AttachChallengeRequest,
  ChallengeContestStats,
  ChallengeVisibility,
  ChallengeVisibilityResult,
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
} from './types';
