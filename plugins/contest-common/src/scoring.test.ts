import type { ChallengeScoring } from '@flagstage/plugin-challenge-common';
import { challengeValue, firstBloodBonus, solveScore } from './scoring';

// Every expected number below was computed independently (a Python one-off
// implementing the anchors.md formulas), not by the code under test.

const N = [0, 1, 2, 5, 10, 50, 100, 1000];

function row(scoring: ChallengeScoring, maxSolves?: number) {
  return N.map(n =>
    challengeValue(
      scoring,
      n,
      maxSolves === undefined ? undefined : { maxSolves },
    ),
  );
}

describe('challengeValue', () => {
  describe('static', () => {
    it.each<[ChallengeScoring, number]>([
      [{ function: 'static', value: 300 }, 300],
      [{ function: 'static', value: 0 }, 0],
      [{ function: 'static', initial: 250 }, 250],
      [{ function: 'static' }, 0],
      [{ function: 'static', value: -5 }, 0],
      [{ function: 'static', value: 99.7 }, 99],
    ])('%j is worth %d at any solve count', (scoring, expected) => {
      expect(row(scoring)).toEqual(N.map(() => expected));
    });
  });

  it.each<[string, ChallengeScoring, number[]]>([
    [
      'initial 500, minimum 100, decay 20',
      { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 20 },
      [500, 500, 480, 420, 320, 100, 100, 100],
    ],
    [
      'initial 500, minimum 100, decay 7',
      { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 7 },
      [500, 500, 493, 472, 437, 157, 100, 100],
    ],
    [
      'fractional decay 2.5 (ceil)',
      { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 2.5 },
      [500, 500, 498, 490, 478, 378, 253, 100],
    ],
    [
      'minimum = initial',
      { function: 'ctfd-linear', initial: 500, minimum: 500, decay: 20 },
      [500, 500, 500, 500, 500, 500, 500, 500],
    ],
    [
      'decay 0',
      { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 0 },
      [500, 500, 500, 500, 500, 500, 500, 500],
    ],
    [
      'no minimum: floored at 0, never negative',
      { function: 'ctfd-linear', initial: 100, decay: 30 },
      [100, 100, 70, 0, 0, 0, 0, 0],
    ],
    [
      'negative minimum still yields 0',
      { function: 'ctfd-linear', initial: 100, minimum: -50, decay: 60 },
      [100, 100, 40, 0, 0, 0, 0, 0],
    ],
  ])('ctfd-linear, %s', (_, scoring, expected) => {
    expect(row(scoring)).toEqual(expected);
  });

  it.each<[string, ChallengeScoring, number[]]>([
    [
      'initial 500, minimum 100, decay 10',
      { function: 'ctfd-log', initial: 500, minimum: 100, decay: 10 },
      [500, 500, 496, 436, 176, 100, 100, 100],
    ],
    [
      'initial 1000, minimum 50, decay 30',
      { function: 'ctfd-log', initial: 1000, minimum: 50, decay: 30 },
      [1000, 1000, 999, 984, 915, 50, 50, 50],
    ],
    [
      'decay 0 is treated as 1',
      { function: 'ctfd-log', initial: 500, minimum: 100, decay: 0 },
      [500, 500, 100, 100, 100, 100, 100, 100],
    ],
    [
      'decay missing is treated as 1',
      { function: 'ctfd-log', initial: 500, minimum: 100 },
      [500, 500, 100, 100, 100, 100, 100, 100],
    ],
    [
      'minimum = initial',
      { function: 'ctfd-log', initial: 500, minimum: 500, decay: 10 },
      [500, 500, 500, 500, 500, 500, 500, 500],
    ],
  ])('ctfd-log, %s', (_, scoring, expected) => {
    expect(row(scoring)).toEqual(expected);
  });

  const rctf500: ChallengeScoring = {
    function: 'rctf',
    initial: 500,
    minimum: 100,
  };
  it.each<[string, ChallengeScoring, number | undefined, number[]]>([
    [
      'no maxSolves (s = n: a solved challenge sits at min)',
      rctf500,
      undefined,
      [500, 100, 100, 100, 100, 100, 100, 100],
    ],
    ['maxSolves 1', rctf500, 1, [500, 100, 100, 100, 100, 100, 100, 100]],
    ['maxSolves 10', rctf500, 10, [500, 458, 403, 213, 100, 100, 100, 100]],
    ['maxSolves 100', rctf500, 100, [500, 496, 493, 481, 458, 213, 100, 100]],
    ['maxSolves 1000', rctf500, 1000, [500, 500, 499, 498, 496, 481, 458, 100]],
    [
      'max 1000, min 0, maxSolves 200',
      { function: 'rctf', initial: 1000, minimum: 0 },
      200,
      [1000, 996, 991, 977, 952, 676, 282, 0],
    ],
    [
      'min = max',
      { function: 'rctf', initial: 500, minimum: 500 },
      100,
      [500, 500, 500, 500, 500, 500, 500, 500],
    ],
  ])('rctf, %s', (_, scoring, maxSolves, expected) => {
    expect(row(scoring, maxSolves)).toEqual(expected);
  });

  it('rctf: maxSolves 0 behaves as 1', () => {
    expect(row(rctf500, 0)).toEqual([500, 100, 100, 100, 100, 100, 100, 100]);
  });

  it.each<[string, ChallengeScoring, number[]]>([
    [
      'S 1000, minimum 250, d 5',
      { function: 'gzctf', initial: 1000, minimum: 250, decay: 5 },
      [1000, 1000, 864, 586, 373, 250, 250, 250],
    ],
    [
      'defaults (S 1000, r 0.25, d 5)',
      { function: 'gzctf' },
      [1000, 1000, 864, 586, 373, 250, 250, 250],
    ],
    [
      'S 500, minimum 100, d 10',
      { function: 'gzctf', initial: 500, minimum: 100, decay: 10 },
      [500, 500, 461, 368, 262, 102, 100, 100],
    ],
    [
      'minimum = initial',
      { function: 'gzctf', initial: 1000, minimum: 1000, decay: 5 },
      [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    ],
    [
      'd 0 drops straight to the minimum',
      { function: 'gzctf', initial: 500, minimum: 100, decay: 0 },
      [500, 500, 100, 100, 100, 100, 100, 100],
    ],
    [
      'S 0',
      { function: 'gzctf', initial: 0, minimum: 0, decay: 5 },
      [0, 0, 0, 0, 0, 0, 0, 0],
    ],
  ])('gzctf, %s', (_, scoring, expected) => {
    expect(row(scoring)).toEqual(expected);
  });

  it('gzctf between the table points', () => {
    expect(
      [0, 1, 2, 3, 4, 6, 20].map(n => challengeValue({ function: 'gzctf' }, n)),
    ).toEqual([1000, 1000, 864, 752, 661, 525, 266]);
  });

  it.each([-1, -100, Number.NaN, Number.NEGATIVE_INFINITY])(
    'treats a solve count of %d as 0',
    n => {
      expect(
        challengeValue(
          { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 20 },
          n,
        ),
      ).toBe(500);
      expect(challengeValue({ function: 'gzctf' }, n)).toBe(1000);
    },
  );

  it('floors fractional solve counts', () => {
    const s: ChallengeScoring = {
      function: 'ctfd-linear',
      initial: 500,
      minimum: 100,
      decay: 20,
    };
    expect(challengeValue(s, 2.9)).toBe(480);
  });

  it('always returns a non-negative integer', () => {
    const scorings: ChallengeScoring[] = [
      { function: 'static', value: 12.5 },
      { function: 'ctfd-linear', initial: 333.3, minimum: 10.5, decay: 3.3 },
      { function: 'ctfd-log', initial: 333.3, minimum: -10, decay: 7 },
      { function: 'rctf', initial: 333.3, minimum: 11.1 },
      { function: 'gzctf', initial: 333.3, minimum: 77.7, decay: 2.5 },
      { function: 'gzctf', initial: -10, minimum: -100, decay: 2 },
    ];
    for (const scoring of scorings) {
      for (let n = 0; n < 300; n++) {
        const v = challengeValue(scoring, n, { maxSolves: 150 });
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('returns 0 for an unknown function', () => {
    expect(
      challengeValue({ function: 'bogus' } as unknown as ChallengeScoring, 3),
    ).toBe(0);
  });
});

describe('firstBloodBonus', () => {
  it.each<[Parameters<typeof firstBloodBonus>[0], number, number]>([
    ['gzctf', 1, 0.05],
    ['gzctf', 2, 0.03],
    ['gzctf', 3, 0.01],
    ['gzctf', 4, 0],
    ['gzctf', 0, 0],
    ['gzctf', -1, 0],
    ['gzctf', 1.5, 0],
    ['static', 1, 0],
    ['ctfd-linear', 1, 0],
    ['ctfd-log', 1, 0],
    ['rctf', 1, 0],
  ])('%s rank %d → %d', (fn, rank, expected) => {
    expect(firstBloodBonus(fn, rank)).toBe(expected);
  });
});

describe('solveScore', () => {
  const gz: ChallengeScoring = {
    function: 'gzctf',
    initial: 1000,
    minimum: 250,
    decay: 5,
  };

  it.each<[number, number, number]>([
    // [solves, rank, expected]
    [1, 1, 1050],
    [2, 1, 907],
    [2, 2, 889],
    [3, 1, 789],
    [3, 2, 774],
    [3, 3, 759],
    [4, 1, 694],
    [4, 2, 680],
    [4, 3, 667],
    [4, 4, 661],
    [10, 1, 391],
    [10, 2, 384],
    [10, 3, 376],
    [10, 10, 373],
  ])('gzctf with %d solves, rank %d → %d', (solves, rank, expected) => {
    expect(solveScore(gz, solves, rank)).toBe(expected);
  });

  it('adds no bonus for other functions', () => {
    const linear: ChallengeScoring = {
      function: 'ctfd-linear',
      initial: 500,
      minimum: 100,
      decay: 20,
    };
    expect(solveScore(linear, 5, 1)).toBe(420);
    expect(solveScore(linear, 5, 5)).toBe(420);
    expect(
      solveScore({ function: 'rctf', initial: 500, minimum: 100 }, 10, 1, {
        maxSolves: 100,
      }),
    ).toBe(458);
  });

  it('floors the bonus of small values', () => {
    // 19 × 5 % = 0.95 → 0; 20 × 5 % = 1; 100 × 3 % = 3 (no float drift).
    const s = (v: number): ChallengeScoring => ({
      function: 'gzctf',
      initial: v,
      minimum: v,
      decay: 5,
    });
    expect(solveScore(s(19), 1, 1)).toBe(19);
    expect(solveScore(s(20), 1, 1)).toBe(21);
    expect(solveScore(s(100), 1, 2)).toBe(103);
    expect(solveScore(s(700), 1, 3)).toBe(707);
  });
});
