import { InputError } from '@backstage/errors';
import {
  checkInstanceId,
  flagSecretName,
  isDns1123Label,
  isDns1123Subdomain,
  isLabelValue,
  labelsFor,
  namespaceFor,
  startWorkflowName,
  stopWorkflowName,
  upstreamFor,
} from './names';

describe('names', () => {
  it.each([
    ['a', true],
    ['fs-3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['', false],
    ['-a', false],
    ['a-', false],
    ['A', false],
    ['a.b', false],
    ['a_b', false],
  ])('isDns1123Label(%j) is %s', (value, ok) => {
    expect(isDns1123Label(value)).toBe(ok);
  });

  it.each([
    ['a.b-c.d', true],
    ['challenge', true],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}`, true],
    // As Kubernetes checks it: only the total length is capped, not each part.
    [`${'a'.repeat(64)}.b`, true],
    [Array(64).fill('abc').join('.'), false], // 255 characters
    ['a..b', false],
    ['.a', false],
    ['a.', false],
    ['Challenge_1', false],
  ])('isDns1123Subdomain(%j) is %s', (value, ok) => {
    expect(isDns1123Subdomain(value)).toBe(ok);
  });

  it('label values: ≤63, alphanumeric ends, - _ . inside', () => {
    expect(isLabelValue('web_cookie.jar-1')).toBe(true);
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('a b')).toBe(false);
    expect(isLabelValue('_a')).toBe(false);
    expect(isLabelValue('a'.repeat(64))).toBe(false);
  });

  it('derives every name from the instance id', () => {
    const id = '3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f';
    expect(namespaceFor(id)).toBe(`fs-${id}`);
    expect(startWorkflowName(id)).toBe(`start-${id}`);
    expect(stopWorkflowName(id)).toBe(`stop-${id}`);
    expect(flagSecretName(id)).toBe(`flag-${id}`);
    expect(upstreamFor(id)).toBe(`challenge.fs-${id}.svc.cluster.local:3333`);
  });

  it('accepts the longest id that keeps start-<id> a label, refuses one more character', () => {
    expect(checkInstanceId('a'.repeat(57))).toBe('a'.repeat(57));
    expect(isDns1123Label(startWorkflowName('a'.repeat(57)))).toBe(true);
    expect(() => namespaceFor('a'.repeat(58))).toThrow(InputError);
    for (const bad of ['', 'UPPER', 'a.b', 'a_b', '-a', 'a-', 'a/b', 'ü'])
      expect(() => namespaceFor(bad)).toThrow(InputError);
  });

  it('labelsFor: the five Flagstage labels; refuses values that are not label values', () => {
    expect(
      labelsFor({
        instanceId: 'i1',
        contestId: 'c1',
        teamId: 't1',
        challengeName: 'web',
      }),
    ).toEqual({
      'app.kubernetes.io/managed-by': 'flagstage',
      'flagstage.io/instance': 'i1',
      'flagstage.io/contest': 'c1',
      'flagstage.io/team': 't1',
      'flagstage.io/challenge': 'web',
    });
    const base = {
      instanceId: 'i1',
      contestId: 'c1',
      teamId: 't1',
      challengeName: 'web',
    };
    expect(() => labelsFor({ ...base, contestId: '' })).toThrow(
      /flagstage\.io\/contest/,
    );
    expect(() => labelsFor({ ...base, teamId: 'team/1' })).toThrow(InputError);
    expect(() => labelsFor({ ...base, instanceId: 'I1' })).toThrow(InputError);
  });
});
