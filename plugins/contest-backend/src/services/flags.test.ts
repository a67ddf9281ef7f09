import type { ChallengeFlag } from '@flagstage/plugin-challenge-common';
import { sha256 } from '../__testUtils__/fixtures';
import {
  checkFlag,
  dynamicFlag,
  DYNAMIC_FLAG_HEX_LENGTH,
  looksLikeDynamicFlag,
  sha256Hex,
} from './flags';

const ctx = {
  contestSecret: 'a'.repeat(64),
  teamId: 'team-1',
  challengeRef: 'challenge:default/vault',
};

describe('flags', () => {
  it('derives dynamic flags from the contest secret, team and challenge', () => {
    const flag = dynamicFlag(
      ctx.contestSecret,
      'team-1',
      ctx.challengeRef,
      'fs',
    );
    expect(flag).toMatch(
      new RegExp(`^fs\\{[0-9a-f]{${DYNAMIC_FLAG_HEX_LENGTH}}\\}$`),
    );
    // Stable for the same inputs, different for any other team, challenge or secret.
    expect(
      dynamicFlag(ctx.contestSecret, 'team-1', ctx.challengeRef, 'fs'),
    ).toBe(flag);
    expect(
      dynamicFlag(ctx.contestSecret, 'team-2', ctx.challengeRef, 'fs'),
    ).not.toBe(flag);
    expect(
      dynamicFlag(ctx.contestSecret, 'team-1', 'challenge:default/other', 'fs'),
    ).not.toBe(flag);
    expect(
      dynamicFlag('b'.repeat(64), 'team-1', ctx.challengeRef, 'fs'),
    ).not.toBe(flag);
    // Team ids never contain the separator, so "x|y" + "z" cannot pose as "x" + "y|z".
    expect(() => dynamicFlag('k', 'x|y', 'z', 'p')).toThrow(/separator/);
    expect(looksLikeDynamicFlag(flag, 'fs')).toBe(true);
    expect(looksLikeDynamicFlag(flag, 'flagstage')).toBe(false);
    expect(looksLikeDynamicFlag('fs{short}', 'fs')).toBe(false);
  });

  it('compares static flags by SHA-256 digest, exactly', () => {
    const flags: ChallengeFlag[] = [
      { kind: 'static', sha256: sha256('flag{x}') },
    ];
    expect(checkFlag(flags, 'flag{x}', ctx)).toBe(true);
    expect(checkFlag(flags, 'FLAG{x}', ctx)).toBe(false);
    expect(checkFlag(flags, 'flag{x} ', ctx)).toBe(false);
    expect(checkFlag(flags, '', ctx)).toBe(false);
    expect(sha256Hex('flag{x}')).toBe(
      sha256('flag{x}').slice('sha256:'.length),
    );
  });

  it('matches regex flags on the whole submission, with the case option', () => {
    const sensitive: ChallengeFlag[] = [
      { kind: 'regex', pattern: '^flag\\{[a-z]+\\}$' },
    ];
    const insensitive: ChallengeFlag[] = [
      { kind: 'regex', pattern: '^flag\\{[a-z]+\\}$', caseInsensitive: true },
    ];
    expect(checkFlag(sensitive, 'flag{abc}', ctx)).toBe(true);
    expect(checkFlag(sensitive, 'FLAG{ABC}', ctx)).toBe(false);
    expect(checkFlag(insensitive, 'FLAG{ABC}', ctx)).toBe(true);
    expect(checkFlag(sensitive, 'xflag{abc}', ctx)).toBe(false);
  });

  it('runs nested-quantifier patterns in linear time (RE2), refuses backreferences', () => {
    const nested: ChallengeFlag[] = [{ kind: 'regex', pattern: '^(a+)+$' }];
    const started = Date.now();
    expect(checkFlag(nested, `${'a'.repeat(255)}!`, ctx)).toBe(false);
    expect(checkFlag(nested, 'aaaa', ctx)).toBe(true);
    // A backtracking engine takes seconds on 28 a's and a '!'; RE2 is linear.
    expect(Date.now() - started).toBeLessThan(1000);
    const backreference: ChallengeFlag[] = [
      { kind: 'regex', pattern: '^(a)\\1$' },
    ];
    expect(checkFlag(backreference, 'aa', ctx)).toBe(false);
  });

  it('refuses over-long submissions without evaluating them', () => {
    const flags: ChallengeFlag[] = [{ kind: 'regex', pattern: '^a+$' }];
    expect(checkFlag(flags, 'a'.repeat(256), ctx)).toBe(true);
    expect(checkFlag(flags, 'a'.repeat(257), ctx)).toBe(false);
  });

  it('accepts a team’s own dynamic flag only, and any one of several flags', () => {
    const flags: ChallengeFlag[] = [
      { kind: 'dynamic', prefix: 'flagstage' },
      { kind: 'static', sha256: sha256('backup{flag}') },
    ];
    const mine = dynamicFlag(
      ctx.contestSecret,
      ctx.teamId,
      ctx.challengeRef,
      'flagstage',
    );
    const theirs = dynamicFlag(
      ctx.contestSecret,
      'team-2',
      ctx.challengeRef,
      'flagstage',
    );
    expect(checkFlag(flags, mine, ctx)).toBe(true);
    expect(checkFlag(flags, theirs, ctx)).toBe(false);
    expect(checkFlag(flags, 'backup{flag}', ctx)).toBe(true);
  });
});
