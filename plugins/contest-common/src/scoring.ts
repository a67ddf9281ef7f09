import type {
  ChallengeScoring,
  ScoringFunction,
} from '@flagstage/plugin-challenge-common';

/**
 * Extra information some scoring functions need.
 *
 * @public
 */
export type ChallengeValueContext = {
  /**
   * The most solves of any challenge in the contest (rCTF's `s`). When absent
   * rCTF uses this challenge's own solve count.
   */
  maxSolves?: number;
};

/** GZCTF defaults (anchors.md): S = 1000, r = 0.25, d = 5. */
const GZCTF_DEFAULT_INITIAL = 1000;
const GZCTF_DEFAULT_MIN_RATE = 0.25;
const GZCTF_DEFAULT_DECAY = 5;

/** rCTF constants. */
const RCTF_P0 = 0.7;
const RCTF_P1 = 0.96;
const RCTF_C0 = -Math.atanh(RCTF_P0);
const RCTF_C1 = Math.atanh(RCTF_P1);

/** First-blood bonus of GZCTF in basis points, by 1-based rank. */
const GZCTF_BLOOD_BONUS_BP: readonly number[] = [500, 300, 100];

function finite(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function pick(...values: Array<number | undefined>): number | undefined {
  return values.find(finite);
}

/** A solve count as a non-negative integer. */
function solveCount(n: number | undefined): number {
  return finite(n) && n > 0 ? Math.floor(n) : 0;
}

/** Clamp to a non-negative integer; NaN becomes 0. */
function points(value: number): number {
  if (Number.isNaN(value) || value <= 0) {
    return 0;
  }
  return Number.isFinite(value) ? Math.floor(value) : Number.MAX_SAFE_INTEGER;
}

function ctfdLinear(
  initial: number,
  minimum: number,
  decay: number,
  n: number,
): number {
  if (n === 0) {
    return Math.ceil(initial);
  }
  const value = Math.ceil(initial - decay * (n - 1));
  return value < minimum ? minimum : value;
}

function ctfdLog(
  initial: number,
  minimum: number,
  decay: number,
  n: number,
): number {
  if (n === 0) {
    return Math.ceil(initial);
  }
  const d = decay === 0 ? 1 : decay;
  const value = Math.ceil(
    ((minimum - initial) / (d * d)) * (n - 1) ** 2 + initial,
  );
  return value < minimum ? minimum : value;
}

function rctfA(x: number): number {
  return (1 - Math.tanh(x)) / 2;
}

function rctfB(x: number): number {
  return (
    (rctfA((RCTF_C1 - RCTF_C0) * x + RCTF_C0) - rctfA(RCTF_C1)) /
    (rctfA(RCTF_C0) - rctfA(RCTF_C1))
  );
}

function rctf(max: number, min: number, n: number, maxSolves?: number): number {
  const s = Math.max(1, maxSolves ?? n);
  const f = (x: number) => min + (max - min) * rctfB(x / s);
  return Math.round(Math.max(f(n), f(s)));
}

function gzctf(initial: number, minimum: number, decay: number, n: number) {
  if (n <= 1) {
    return Math.floor(initial);
  }
  const r = minimum / initial;
  // d <= 0 is the limit d → 0+: the value drops to the minimum at once.
  const e = decay > 0 ? Math.exp((1 - n) / decay) : 0;
  return Math.floor(initial * (r + (1 - r) * e));
}

/**
 * The current point value of a challenge that has `solves` solves, per the
 * formulas in `shared/reference/anchors.md`. Always a non-negative integer.
 *
 * Missing parameters: `static` uses `value` (else `initial`); dynamic
 * functions use `initial` (else `value`), `minimum` 0 and `decay` 0, except
 * `gzctf`, whose defaults are S = 1000, r = 0.25 (`minimum` = S/4), d = 5.
 *
 * @public
 */
export function challengeValue(
  scoring: ChallengeScoring,
  solves: number,
  context?: ChallengeValueContext,
): number {
  const n = solveCount(solves);
  switch (scoring.function) {
    case 'static':
      return points(pick(scoring.value, scoring.initial) ?? 0);
    case 'ctfd-linear':
      return points(
        ctfdLinear(
          pick(scoring.initial, scoring.value) ?? 0,
          pick(scoring.minimum) ?? 0,
          pick(scoring.decay) ?? 0,
          n,
        ),
      );
    case 'ctfd-log':
      return points(
        ctfdLog(
          pick(scoring.initial, scoring.value) ?? 0,
          pick(scoring.minimum) ?? 0,
          pick(scoring.decay) ?? 0,
          n,
        ),
      );
    case 'rctf': {
      const maxSolves = context?.maxSolves;
      return points(
        rctf(
          pick(scoring.initial, scoring.value) ?? 0,
          pick(scoring.minimum) ?? 0,
          n,
          finite(maxSolves) ? Math.max(0, maxSolves) : undefined,
        ),
      );
    }
    case 'gzctf': {
      const initial =
        pick(scoring.initial, scoring.value) ?? GZCTF_DEFAULT_INITIAL;
      if (initial <= 0) {
        return 0;
      }
      return points(
        gzctf(
          initial,
          pick(scoring.minimum) ?? initial * GZCTF_DEFAULT_MIN_RATE,
          pick(scoring.decay) ?? GZCTF_DEFAULT_DECAY,
          n,
        ),
      );
    }
    default:
      return 0;
  }
}

/** The first-blood bonus in basis points (1/10,000). */
function bonusBasisPoints(fn: ScoringFunction, rank: number): number {
  if (fn !== 'gzctf' || !Number.isInteger(rank) || rank < 1) {
    return 0;
  }
  return GZCTF_BLOOD_BONUS_BP[rank - 1] ?? 0;
}

/**
 * The first-blood bonus, as a fraction of the challenge value, for the solve
 * with 1-based `rank`: GZCTF gives 0.05, 0.03 and 0.01 to the first three
 * solves; other functions give none.
 *
 * @public
 */
export function firstBloodBonus(fn: ScoringFunction, rank: number): number {
  return bonusBasisPoints(fn, rank) / 10000;
}

/**
 * The points a team holding solve `rank` (1-based) gets when the challenge
 * has `solves` solves: `value + floor(value × firstBloodBonus)`, with `value`
 * the current {@link challengeValue} (dynamic scoring: every solver's score
 * follows the current value).
 *
 * @public
 */
export function solveScore(
  scoring: ChallengeScoring,
  solves: number,
  rank: number,
  context?: ChallengeValueContext,
): number {
  const value = challengeValue(scoring, solves, context);
  // Integer arithmetic: value × bp / 10000 is exact enough for floor().
  return (
    value +
    Math.floor((value * bonusBasisPoints(scoring.function, rank)) / 10000)
  );
}
