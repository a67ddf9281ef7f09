import * as challengeCommon from '@flagstage/plugin-challenge-common';
import * as regexSafety from './regexSafety';

describe('regexSafety', () => {
  it('is the challenge-common regex-flag check and matcher (one implementation)', () => {
    expect(regexSafety.checkRegexFlagPattern).toBe(
      challengeCommon.checkRegexFlagPattern,
    );
    expect(regexSafety.regexFlagMatches).toBe(challengeCommon.regexFlagMatches);
    expect(regexSafety.MAX_FLAG_PATTERN_LENGTH).toBe(512);
    expect(regexSafety.MAX_FLAG_SUBMISSION_LENGTH).toBe(256);
  });

  it('matches a dangerous nested quantifier in linear time', () => {
    const started = Date.now();
    expect(
      regexSafety.regexFlagMatches('(a+)+$', false, `${'a'.repeat(255)}!`),
    ).toBe(false);
    expect(Date.now() - started).toBeLessThan(200);
    expect(regexSafety.checkRegexFlagPattern('(a)\\1')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/backreferences/),
    });
  });
});
