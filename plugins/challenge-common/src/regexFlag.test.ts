import {
  checkRegexFlagPattern,
  MAX_FLAG_PATTERN_LENGTH,
  MAX_FLAG_SUBMISSION_LENGTH,
  regexFlagMatches,
} from './regexFlag';

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
  ['flag\\{(?P<word>[a-z]+)\\}', 'named group, Python form'],
  ['flag\\{(?:ab|cd|ef)+\\}', 'repeated alternation, distinct first letters'],
  ['flag\\{(?:[\\w-]|\\.)+\\}', 'repeated alternation of disjoint classes'],
  ['flag\\{\\p{L}+\\}', 'Unicode property'],
  ['flag\\{[\\x{1F600}-\\x{1F64F}]+\\}', 'astral range'],
  ['flag\\{\\x{1F600}+\\}', 'code point escape'],
  ['(?i:flag)\\{[a-z]+\\}', 'case-insensitive group'],
  ['(?i)flag\\{[a-z]+\\}', 'case-insensitive flag'],
  ['[\\]\\[]+x', 'escaped brackets in a class'],
  ['flag\\{(?:_[a-z]+)?(?:_[a-z]+)?\\}', 'optional groups'],
  ['a'.repeat(MAX_FLAG_PATTERN_LENGTH), 'exactly the maximum length'],
];

/**
 * Patterns that backtrack catastrophically (exponentially or with a high
 * polynomial degree) in a backtracking engine. A hand-written analyser used
 * to refuse them; RE2 matches them in linear time, so they are accepted.
 */
const LINEAR: Array<[string, string]> = [
  ['(a+)+', 'nested quantifier'],
  ['^(a+)+$', 'nested quantifier, anchored'],
  ['(.*a){10}', 'repeated group with a dot-star'],
  ['(\\w+\\s?)+', 'nested quantifier with an optional separator'],
  ['flag\\{((ab)*c)+\\}', 'nested star in a repeated group'],
  ['(?:x+x+)+y', 'overlapping quantifiers in a repeated group'],
  ['(?:[a-z]{2,3})+', 'variable count in a repeated group'],
  ['(a|a)+', 'repeated identical alternation'],
  ['(\\w|\\d)+', 'repeated overlapping classes'],
  ['(?:a|(?:b|a))+', 'repeated nested alternation'],
  ['(?:a|A)+', 'repeated alternation equal under case folding'],
  ['(?:k|\\x{212A})+', 'KELVIN SIGN folds to k'],
  ['(?:\\b)+x', 'repeated empty assertion'],
  ['(?:ab|AB)'.repeat(7), 'many ambiguous alternations'],
  ['.*.*.*.*x', 'chain of overlapping dot-stars'],
  ['flag\\{.*_.*_.*_.*\\}', 'four overlapping quantifiers'],
  [`${'a?'.repeat(20)}${'a'.repeat(20)}`, 'a?ⁿaⁿ'],
  ['(.*){1,1000}[bc]', 'large repeat of a dot-star'],
];

const REFUSED: Array<[string, RegExp]> = [
  ['(a)\\1', /backreferences/],
  ['(?<x>a)\\k<x>', /backreferences/],
  ['(?<=a)b', /lookbehind \(\?<=…\)/],
  ['(?<!a)b', /lookbehind \(\?<!…\)/],
  ['(?=.*\\d)flag\\{\\w+\\}', /lookahead \(\?=…\)/],
  ['(?!x)flag\\{\\w+\\}', /lookahead \(\?!…\)/],
  ['flag\\{\\u212A\\}', /\\x\{1F600\}, not \\u/],
  ['a'.repeat(MAX_FLAG_PATTERN_LENGTH + 1), /longer than 512/],
  ['', /empty/],
  ['[a-', /does not compile under RE2 syntax: .*missing closing \]/],
  ['a)|(b', /does not compile under RE2 syntax/],
  ['(.*){1,32000}[bc]', /does not compile under RE2 syntax.*repeat count/],
  ['x*', /empty submission/],
  ['(a*)*', /empty submission/],
  ['(a|ab)*', /empty submission/],
  ['(?:x|)+', /empty submission/],
  ['\\w*\\w*\\w*\\w*\\w*', /empty submission/],
  ['.{0,200}.{0,200}.{0,200}.{0,200}', /empty submission/],
];

/** Submissions that make backtracking engines explore every split. */
function adversarialSubmissions(): string[] {
  const fillers = ['a', 'A', '_', '0', '-', '.', ' ', '}', 'ab', '_a', 'é'];
  const prefixes = ['', 'flag{', 'CTF{', 'flagstage{', 'https://'];
  const suffixes = ['!', '}!', '\n', ''];
  const out: string[] = [];
  for (const filler of fillers) {
    for (const prefix of prefixes) {
      for (const suffix of suffixes) {
        const body = filler.repeat(MAX_FLAG_SUBMISSION_LENGTH);
        const submission = (prefix + body).slice(
          0,
          MAX_FLAG_SUBMISSION_LENGTH - suffix.length,
        );
        out.push(submission + suffix);
      }
    }
  }
  return out;
}

describe('checkRegexFlagPattern', () => {
  it.each(ACCEPTED)('accepts %s (%s)', pattern => {
    expect(checkRegexFlagPattern(pattern)).toEqual({ ok: true });
  });

  it.each(LINEAR)('accepts %s (%s: linear time under RE2)', pattern => {
    expect(checkRegexFlagPattern(pattern)).toEqual({ ok: true });
  });

  it.each(REFUSED)('refuses %s', (pattern, reason) => {
    const result = checkRegexFlagPattern(pattern);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('runs every accepted pattern quickly on adversarial submissions', () => {
    const submissions = adversarialSubmissions();
    for (const [pattern] of [...ACCEPTED, ...LINEAR]) {
      const started = Date.now();
      for (const submission of submissions) {
        regexFlagMatches(pattern, false, submission);
        regexFlagMatches(pattern, true, submission);
      }
      // Catastrophic backtracking takes seconds to forever on these inputs.
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });

  it('matches (a+)+$ in linear time where a backtracking engine explodes', () => {
    const adversarial = `${'a'.repeat(MAX_FLAG_SUBMISSION_LENGTH - 1)}!`;
    const started = Date.now();
    expect(regexFlagMatches('(a+)+$', false, adversarial)).toBe(false);
    expect(regexFlagMatches('(a+)+$', false, 'a'.repeat(255))).toBe(true);
    // ECMAScript RegExp needs about 2ⁿ steps here: seconds at n = 28.
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('regexFlagMatches', () => {
  it.each<[string, boolean | undefined, string, boolean]>([
    ['flagstage\\{[a-z0-9_]{8,32}\\}', false, 'flagstage{abcd_123}', true],
    ['flagstage\\{[a-z0-9_]{8,32}\\}', false, 'flagstage{abc}', false],
    ['flagstage\\{[a-z0-9_]{8,32}\\}', false, 'FLAGSTAGE{abcd_123}', false],
    ['flagstage\\{[a-z0-9_]{8,32}\\}', true, 'FLAGSTAGE{ABCD_123}', true],
    ['flagstage\\{[a-z0-9_]{8,32}\\}', undefined, 'FLAGSTAGE{abcd_123}', false],
    ['(?i)flagstage\\{[a-z0-9_]{8,32}\\}', false, 'FLAGSTAGE{ABCD_123}', true],
    // Whole submission only.
    ['flag\\{[^}]+\\}', false, 'xflag{a}', false],
    ['flag\\{[^}]+\\}', false, 'flag{a}x', false],
    ['flag\\{[^}]+\\}', false, 'flag{a}\n', false],
    ['^flag\\{[^}]+\\}$', false, 'flag{a}\n', false],
    // Alternation is grouped before anchoring.
    ['CTF\\{foo\\}|CTF\\{bar\\}', false, 'CTF{foo}', true],
    ['CTF\\{foo\\}|CTF\\{bar\\}', false, 'CTF{foo}CTF{bar}', false],
    ['CTF\\{(?:foo|bar)_[0-9]+\\}', false, 'CTF{bar_42}', true],
    // Unicode-aware.
    ['flag\\{.\\}', false, 'flag{😀}', true],
    ['flag\\{\\x{212A}\\}', true, 'flag{k}', true],
    // RE2 reads lone braces and escaped punctuation literally.
    ['flag{x}', false, 'flag{x}', true],
    ['a{,5}', false, 'a{,5}', true],
    ['\\-', false, '-', true],
    // Nested quantifiers run (in linear time).
    ['(a+)+', false, 'aaaa', true],
    // Refused patterns never match.
    ['(a)\\1', false, 'aa', false],
    ['(?<=a)b', false, 'b', false],
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
