import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * Regular-expression flags, checked and matched with RE2 semantics.
 *
 * Flag patterns come from challenge authors and run against contestant
 * submissions on the request path, so they run on re2js (a pure JavaScript
 * port of RE2): matching takes time linear in the submission whatever the
 * pattern, so no pattern can stall the backend by backtracking. RE2 has no
 * backreferences or lookarounds (they cannot be matched in linear time);
 * patterns using them are refused with the construct named. Pure JavaScript,
 * so the portal and the catalog validate exactly as the backend matches.
 */

/** Longest accepted flag pattern, in UTF-16 code units. @public */
export const MAX_FLAG_PATTERN_LENGTH = 512;

/** Longest submission a regex flag is ever run against, in UTF-16 code units. @public */
export const MAX_FLAG_SUBMISSION_LENGTH = 256;

/** Result of {@link checkRegexFlagPattern}. @public */
export type RegexFlagPatternCheck =
  | { ok: true }
  | { ok: false; reason: string };

/** RE2's syntax errors for constructs authors bring from other engines, named. */
function unsupportedConstruct(error: RE2JSSyntaxException): string | undefined {
  const input = error.input ?? '';
  if (/^\\[1-9k]/.test(input)) {
    return 'backreferences (\\1, \\k<name>) are not supported: RE2 cannot match them in linear time';
  }
  const lookaround = /^\(\?(<?)[=!]/.exec(input);
  if (lookaround) {
    const kind = lookaround[1] ? 'lookbehind' : 'lookahead';
    return `${kind} ${lookaround[0]}…) is not supported: RE2 has no lookarounds`;
  }
  if (/^\\u/.test(input)) {
    return 'RE2 writes code points as \\x{1F600}, not \\u…';
  }
  return undefined;
}

function compile(pattern: string, caseInsensitive: boolean): RE2JS {
  return RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
}

/**
 * Checks a regular-expression flag pattern: not empty, at most
 * {@link MAX_FLAG_PATTERN_LENGTH} characters, compiles under RE2 syntax
 * (no backreferences, no lookarounds; refused with the construct named), and
 * does not match an empty submission. Any pattern that passes matches in
 * linear time.
 *
 * @public
 */
export function checkRegexFlagPattern(pattern: string): RegexFlagPatternCheck {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    return { ok: false, reason: 'the pattern is empty' };
  }
  if (pattern.length > MAX_FLAG_PATTERN_LENGTH) {
    return {
      ok: false,
      reason: `the pattern is longer than ${MAX_FLAG_PATTERN_LENGTH} characters`,
    };
  }
  let re: RE2JS;
  try {
    re = compile(pattern, false);
  } catch (error) {
    const named =
      error instanceof RE2JSSyntaxException
        ? unsupportedConstruct(error)
        : undefined;
    return {
      ok: false,
      reason:
        named ??
        `the pattern does not compile under RE2 syntax: ${
          (error as Error).message
        }`,
    };
  }
  // An empty submission is never a flag.
  if (re.testExact('')) {
    return { ok: false, reason: 'the pattern matches an empty submission' };
  }
  return { ok: true };
}

const MATCHER_CACHE_SIZE = 512;
const matchers = new Map<string, RE2JS | null>();

function matcher(pattern: string, caseInsensitive: boolean): RE2JS | null {
  const key = `${caseInsensitive ? 'i' : '-'}${pattern}`;
  let re = matchers.get(key);
  if (re === undefined) {
    re = checkRegexFlagPattern(pattern).ok
      ? compile(pattern, caseInsensitive)
      : null;
    if (matchers.size >= MATCHER_CACHE_SIZE) {
      matchers.clear();
    }
    matchers.set(key, re);
  }
  return re;
}

/**
 * Whether `submission` matches the regex flag `pattern` as a whole (RE2,
 * anchored at both ends; case-insensitive when `caseInsensitive`). False for
 * submissions longer than {@link MAX_FLAG_SUBMISSION_LENGTH} and for patterns
 * {@link checkRegexFlagPattern} refuses. Compiled patterns are cached.
 *
 * @public
 */
export function regexFlagMatches(
  pattern: string,
  caseInsensitive: boolean | undefined,
  submission: string,
): boolean {
  if (
    typeof submission !== 'string' ||
    submission.length > MAX_FLAG_SUBMISSION_LENGTH
  ) {
    return false;
  }
  const re = matcher(pattern, caseInsensitive === true);
  return re !== null && re.testExact(submission);
}
