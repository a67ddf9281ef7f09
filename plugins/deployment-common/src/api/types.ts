import type { InstanceState } from '../instanceStates';

/*
 * Request and response shapes of the deployment API (`/api/deployment`)
 * that instanceView.ts and builds.ts do not define: the staff and service
 * routes, and the worker's `/internal` routes.
 */

/** `POST /instances` (services act for a team; staff start one for any team). @public */
export type StartInstanceRequest = {
  contestId: string;
  teamId: string;
  challengeRef: string;
  /** Who asked, for services acting for someone (`contestant:<id>`). */
  requestedBy?: string;
};

/** Filters of `GET /instances`; empty values are left out. @public */
export type InstanceFilter = {
  contestId?: string;
  teamId?: string;
  challengeRef?: string;
  states?: InstanceState[];
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
};

/** One recorded state change. `from` is null for the first (→ REQUESTED). @public */
export type InstanceTransition = {
  from: InstanceState | null;
  to: InstanceState;
  reason: string | null;
  actor: string | null;
  at: string;
};

/** One captured line of an instance's output. @public */
export type InstanceOutputLine = {
  stream: 'stdout' | 'stderr' | 'driver';
  line: string;
  at: string;
};

/** `GET /queue`: deploy queue depth and instance counts per state. @public */
export type QueueSummary = {
  /** Jobs waiting for the worker. */
  ready: number;
  /** Dead letters waiting. */
  dead: number;
  /** Instances per state; states without instances may be missing. */
  instances: Partial<Record<InstanceState, number>>;
};

/**
 * An instance row as the worker's `GET /internal/instances[/:id]` returns
 * it (snake_case columns, ISO times); the routes send every column, the
 * worker relies on these.
 *
 * @public
 */
export type InstanceRecord = {
  id: string;
  contest_id: string;
  team_id: string;
  challenge_ref: string;
  challenge_name: string;
  state: InstanceState;
  protocol: 'http' | 'tcp';
  endpoint: string | null;
  expires_at: string;
  created_at?: string;
  updated_at?: string;
  traceparent: string | null;
  failure_reason?: string | null;
  requested_by?: string;
  extend_count?: number;
};

/** `POST /internal/instances/:id/transition`: a compare-and-set on the state. @public */
export type TransitionRequest = {
  from: InstanceState[];
  to: InstanceState;
  reason?: string;
  endpoint?: string | null;
};

/** Outcome of a transition; `ok: false` when the instance had moved on (409). @public */
export type TransitionResult = { ok: boolean; state: InstanceState };

/** `POST /internal/builds/:id/claim`'s answer: the build's single-use callback token and URL. @public */
export type BuildClaim = {
  token: string;
  callbackUrl: string;
  challengeRef: string;
};
