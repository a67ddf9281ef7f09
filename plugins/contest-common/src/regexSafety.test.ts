import {
  checkRegexFlagPattern,
  MAX_FLAG_PATTERN_LENGTH,
  MAX_FLAG_SUBMISSION_LENGTH,
  regexFlagMatches,
} from './regexSafety';

const ACCEPTED: Array<[string, string]> = [
  ['flagstage\\{[a-z0-9_]{8,32}\\}', 'bounded class'],
  ['CTF\\{(?:foo|bar)_[0-9]+\\}', 'disjoint alternation'],
  ['flag\\{[^}]+\\}', 'negated class'],
  ['flag\\{.*\\}', 'one dot-star'],
  ['flag\\{.+_.+\\}', 'two overlapping quantifiers'],
  ['flag\\{.*_.*_.*\\}', 'three overlapping quantifiers'],
  ['(?:flag|FLAG)\\{[^}]*\\}', 'one ambiguous alternation, not repeated'],
  [
    'flag\\{(?:[a-z]{4}-){3}[a-z]{4}\\}',
    'fixed-size parts in a repeated group',
  ],
  ['flag\\{(?:[0-9a-f]{2})+\\}', 'fixed-size group repeated'],
  ['flag\\{[a-z]+_[a-z]+_[a-z]+_[a-z]+\\}', 'quantifiers pinned by separators'],
  ['flag\\{[0-9a-f]{32}\\}', 'fixed count'],
  ['https?://ctf\\.example\\.com/[a-z]+', 'optional character'],
  ['flag\\{\\w+\\}', 'word class'],
  ['flag\\{(?<word>[a-z]+)\\}', 'named group'],
  ['(?=.*\\d)flag\\{\\w+\\}', 'lookahead'],
  ['flag\\{(?:ab|cd|ef)+\\}', 'repeated alternation, distinct first letters'],
  ['flag\\{(?:[\\w-]|\\.)+\\}', 'repeated alternation of disjoint classes'],
  ['flag\\{\\p{L}+\\}', 'Unicode property'],
  ['flag\\{[\\u{1F600}-\\u{1F64F}]+\\}', 'astral range'],
  ['flag\\{\\uD83D\\uDE00+\\}', 'surrogate-pair escape'],
  ['(?i:flag)\\{[a-z]+\\}', 'modifiers group'],
  ['[\\]\\[]+x', 'escaped brackets in a class'],
  ['flag\\{(?:_[a-z]+)?(?:_[a-z]+)?\\}', 'optional groups'],
  ['a'.repeat(MAX_FLAG_PATTERN_LENGTH), 'exactly the maximum length'],
];

const REFUSED: Array<[string, RegExp]> = [
  ['(a+)+', /nested quantifier/],
  ['(a*)*', /nested quantifier/],
  ['(.*a){10}', /nested quantifier/],
  ['(\\w+\\s?)+', /nested quantifier/],
  ['^(a+)+$', /nested quantifier/],
  ['flag\\{((ab)*c)+\\}', /nested quantifier/],
  ['(?:x+x+)+y', /nested quantifier/],
  ['(.*){1,32000}[bc]', /nested quantifier/],
  ['(?:[a-z]{2,3})+', /nested quantifier/],
  ['(a|a)*', /alternation/],
  ['(a|ab)*', /alternation/],
  ['(\\w|\\d)+', /alternation/],
  ['(?:a|(?:b|a))+', /alternation/],
  ['(?:a|A)+', /alternation/], // case-insensitive matching is assumed
  ['(?:k|\\u212A)+', /alternation/], // KELVIN SIGN folds to k
  ['(?:x|)+', /alternation/],
  ['(?:\\b)+x', /empty string/],
  ['(?:ab|AB)'.repeat(7), /too many alternations/],
  ['.*.*.*.*x', /overlapping variable-length quantifiers/],
  ['\\w*\\w*\\w*\\w*\\w*', /overlapping variable-length quantifiers/],
  ['flag\\{.*_.*_.*_.*\\}', /overlapping variable-length quantifiers/],
  [`${'a?'.repeat(20)}${'a'.repeat(20)}`, /overlapping variable-length/],
  ['.{0,200}.{0,200}.{0,200}.{0,200}', /overlapping variable-length/],
  ['(a)\\1', /backreferences/],
  ['(?<x>a)\\k<x>', /backreferences/],
  ['(?<=a)b', /lookbehind/],
  ['(?<!a)b', /lookbehind/],
  ['a'.repeat(MAX_FLAG_PATTERN_LENGTH + 1), /longer than 512/],
  ['', /empty/],
  ['[a-', /does not compile/],
  ['a{,5}', /does not compile/], // legal without `u`, not with it
  ['flag{x}', /does not compile/], // lone braces are errors with `u`
  ['\\-', /does not compile/],
  ['a)|(b', /does not compile/],
  ['x*', /empty submission/],
];

describe('checkRegexFlagPattern', () => {
  it.each(ACCEPTED)('accepts %s (%s)', pattern => {
    expect(checkRegexFlagPattern(pattern)).toEqual({ ok: true });
  });

  it.each(REFUSED)('refuses %s', (pattern, reason) => {
    const result = checkRegexFlagPattern(pattern);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('runs every accepted pattern quickly on adversarial submissions', () => {
    const fillers = ['a', 'A', '_', '0', '-', '.', ' ', '}', 'ab', '_a', 'é'];
    const prefixes = ['', 'flag{', 'CTF{', 'flagstage{', 'https://'];
    const suffixes = ['!', '}!', '\n', ''];
    for (const [pattern] of ACCEPTED) {
      const started = Date.now();
      for (const filler of fillers) {
        for (const prefix of prefixes) {
          for (const suffix of suffixes) {
            const body = filler.repeat(MAX_FLAG_SUBMISSION_LENGTH);
            const submission = (prefix + body).slice(
              0,
              MAX_FLAG_SUBMISSION_LENGTH - suffix.length,
            );
            regexFlagMatches(pattern, false, submission + suffix);
            regexFlagMatches(pattern, true, submission + suffix);
          }
        }
      }
      // Catastrophic backtracking takes seconds to forever on these inputs.
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });
});

describe('regexFlagMatches', () => {
  it.each<[string, boolean | undefined, string, boolean]>([
    ['flagstage\\{[a-z0-9_]{8,32}\\}', false, 'flagstage{abcd_123}', true],
    ['flagstage\\{[a-z0-9_]{8,32}\\}', false, 'flagstage{abc}', false],
    ['flagstage\\{[a-z0-9_]{8,32}\\}', false, 'FLAGSTAGE{abcd_123}', false],
    ['flagstage\\{[a-z0-9_]{8,32}\\}', true, 'FLAGSTAGE{ABCD_123}', true],
    ['flagstage\\{[a-z0-9_]{8,32}\\}', undefined, 'FLAGSTAGE{abcd_123}', false],
    // Whole submission only.
    ['flag\\{[^}]+\\}', false, 'xflag{a}', false],
    ['flag\\{[^}]+\\}', false, 'flag{a}x', false],
    ['flag\\{[^}]+\\}', false, 'flag{a}\n', false],
    // Alternation is grouped before anchoring.
    ['CTF\\{foo\\}|CTF\\{bar\\}', false, 'CTF{foo}', true],
    ['CTF\\{foo\\}|CTF\\{bar\\}', false, 'CTF{foo}CTF{bar}', false],
    ['CTF\\{(?:foo|bar)_[0-9]+\\}', false, 'CTF{bar_42}', true],
    // Unicode-aware.
    ['flag\\{.\\}', false, 'flag{😀}', true],
    ['flag\\{\\u212A\\}', true, 'flag{k}', true],
    // Refused patterns never match.
    ['(a+)+', false, 'aaaa', false],
    ['(a)\\1', false, 'aa', false],
    ['[a-', false, '[a-', false],
    ['', false, '', false],
  ])('%s (i: %s) vs %j → %s', (pattern, ci, submission, expected) => {
    expect(regexFlagMatches(pattern, ci, submission)).toBe(expected);
  });

  it('caps the submission length', () => {
    const pattern = 'flag\\{[a-z]+\\}';
    const fits = `flag{${'a'.repeat(MAX_FLAG_SUBMISSION_LENGTH - 6)}}`;
    expect(fits).toHaveLength(MAX_FLAG_SUBMISSION_LENGTH);
    expect(regexFlagMatches(pattern, false, fits)).toBe(true);
    expect(regexFlagMatches(pattern, false, `flag{a${fits.slice(5)}`)).toBe(
      false,
    );
  });

  it('exports the caps', () => {
    expect(MAX_FLAG_SUBMISSION_LENGTH).toBe(256);
    expect(MAX_FLAG_PATTERN_LENGTH).toBe(512);
  });
});
