/**
 * Instance states. `REQUESTED → QUEUED → DEPLOYING → RUNNING → STOPPING →
 * STOPPED`, plus `FAILED` (with a reason) and `EXPIRED`.
 *
 * @public
 */
export const INSTANCE_STATES = [
  'REQUESTED',
  'QUEUED',
  'DEPLOYING',
  'RUNNING',
  'STOPPING',
  'STOPPED',
  'FAILED',
  'EXPIRED',
] as const;

/** @public */
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** States that hold the (contest, team, challenge) slot and count towards the team cap. @public */
export const ACTIVE_INSTANCE_STATES: readonly InstanceState[] = [
  'REQUESTED',
  'QUEUED',
  'DEPLOYING',
  'RUNNING',
  'STOPPING',
];

/** States an instance never leaves. @public */
export const FINAL_INSTANCE_STATES: readonly InstanceState[] = [
  'STOPPED',
  'FAILED',
  'EXPIRED',
];

/**
 * Every allowed transition. A transition not listed here is a bug or a
 * race lost: the compare-and-set on the expected state refuses it.
 *
 * @public
 */
export const INSTANCE_TRANSITIONS: Readonly<
  Record<InstanceState, readonly InstanceState[]>
> = {
  REQUESTED: ['QUEUED', 'FAILED', 'STOPPED'],
  QUEUED: ['DEPLOYING', 'STOPPING', 'FAILED', 'STOPPED'],
  DEPLOYING: ['RUNNING', 'STOPPING', 'FAILED'],
  RUNNING: ['STOPPING', 'FAILED', 'EXPIRED'],
  STOPPING: ['STOPPED', 'FAILED', 'EXPIRED'],
  STOPPED: [],
  FAILED: [],
  EXPIRED: [],
};

/** Whether `from → to` is allowed. @public */
export function canTransition(from: InstanceState, to: InstanceState): boolean {
  return INSTANCE_TRANSITIONS[from].includes(to);
}

/** Whether an instance in this state holds its slot. @public */
export function isActiveState(state: InstanceState): boolean {
  return ACTIVE_INSTANCE_STATES.includes(state);
}
