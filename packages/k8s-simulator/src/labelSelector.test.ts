import { matchesSelector, parseLabelSelector } from './labelSelector';

const matches = (selector: string, labels: Record<string, string>) =>
  matchesSelector(labels, parseLabelSelector(selector));

describe('label selectors', () => {
  it('supports every operator the API server accepts', () => {
    const l = { app: 'web', tier: 'front' };
    expect(matches('app=web', l)).toBe(true);
    expect(matches('app==web', l)).toBe(true);
    expect(matches('app=db', l)).toBe(false);
    expect(matches('app!=db', l)).toBe(true);
    expect(matches('app!=web', l)).toBe(false);
    expect(matches('missing!=x', l)).toBe(true);
    expect(matches('tier', l)).toBe(true);
    expect(matches('missing', l)).toBe(false);
    expect(matches('!missing', l)).toBe(true);
    expect(matches('!tier', l)).toBe(false);
    expect(matches('tier in (back, front)', l)).toBe(true);
    expect(matches('tier in (back)', l)).toBe(false);
    expect(matches('tier notin (back)', l)).toBe(true);
    expect(matches('tier notin (front,back)', l)).toBe(false);
    expect(matches('app=web,tier in (a,front),!x', l)).toBe(true);
    expect(matches('app=web,tier in (a,b)', l)).toBe(false);
    expect(matches('', l)).toBe(true);
  });

  it('rejects what it cannot parse', () => {
    expect(() => parseLabelSelector('tier in (')).toThrow(/unable to parse/);
    expect(() => parseLabelSelector('a=b=c')).toThrow(/unable to parse/);
  });
});
