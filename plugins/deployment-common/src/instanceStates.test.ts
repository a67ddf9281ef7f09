import {
  ACTIVE_INSTANCE_STATES,
  canTransition,
  FINAL_INSTANCE_STATES,
  INSTANCE_STATES,
  INSTANCE_TRANSITIONS,
  isActiveState,
} from './instanceStates';

describe('instance states', () => {
  it('walks the happy path and refuses skipping or going back', () => {
    const path = [
      'REQUESTED',
      'QUEUED',
      'DEPLOYING',
      'RUNNING',
      'STOPPING',
      'STOPPED',
    ] as const;
    for (let i = 0; i + 1 < path.length; i++)
      expect(canTransition(path[i], path[i + 1])).toBe(true);
    expect(canTransition('REQUESTED', 'RUNNING')).toBe(false);
    expect(canTransition('RUNNING', 'DEPLOYING')).toBe(false);
    expect(canTransition('STOPPED', 'REQUESTED')).toBe(false);
  });

  it('final states have no way out; every non-final state can fail', () => {
    for (const s of FINAL_INSTANCE_STATES)
      expect(INSTANCE_TRANSITIONS[s]).toEqual([]);
    for (const s of INSTANCE_STATES.filter(
      x => !FINAL_INSTANCE_STATES.includes(x),
    ))
      expect(canTransition(s, 'FAILED')).toBe(true);
    expect(
      new Set([...ACTIVE_INSTANCE_STATES, ...FINAL_INSTANCE_STATES]),
    ).toEqual(new Set(INSTANCE_STATES));
    expect(isActiveState('RUNNING')).toBe(true);
    expect(isActiveState('EXPIRED')).toBe(false);
  });
});
