import unhomoglyph from 'unhomoglyph';

/** Longest team name, in code points after normalisation. */
export const MAX_TEAM_NAME = 64;

/**
 * Control (Cc), format (Cf: bidi overrides, zero-width joiners and spaces),
 * unassigned/private/surrogate code points, and line/paragraph separators:
 * nothing a name needs, and each can disguise one name as another.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u;

/**
 * A contestant-chosen name, normalised (NFKC, inner whitespace runs folded to
 * one space, trimmed), or the reason it is refused.
 */
export function normalizeName(
  raw: string,
  limits: { min: number; max: number },
): { name: string } | { error: string } {
  if (FORBIDDEN.test(raw))
    return { error: 'must not contain control or invisible characters' };
  const name = raw.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  if (FORBIDDEN.test(name))
    return { error: 'must not contain control or invisible characters' };
  const length = [...name].length;
  if (length < limits.min || length > limits.max)
    return { error: `must be ${limits.min}–${limits.max} characters long` };
  return { name };
}

/**
 * The Unicode TR39 confusable skeleton of a name, case-folded (names are
 * unique regardless of case): two names with the same skeleton look alike,
 * e.g. "paypal" and "pаypal" (Cyrillic а), or "l00t" and "IOOt". The
 * confusables table is unhomoglyph's (generated from Unicode's
 * confusables.txt). The migration adding the column repeats this function.
 */
export function nameSkeleton(name: string): string {
  const once = (s: string) => unhomoglyph(s.normalize('NFD')).normalize('NFD');
  // Mapped, lower-cased, mapped again: "IOOt" → "lOOt" → "loot".
  return once(once(name.normalize('NFKC')).toLocaleLowerCase('en-US'));
}
