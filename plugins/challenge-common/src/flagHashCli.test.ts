import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  STATIC_FLAG_DIGEST,
  validateChallengeEntity,
} from './validateChallengeEntity';

const cli = path.resolve(__dirname, '../../../scripts/flagstage.mjs');

describe('yarn flagstage flag-hash', () => {
  it('prints the sha256: digest that validation accepts', () => {
    const out = execFileSync(
      process.execPath,
      [cli, 'flag-hash', 'flagstage{hello}'],
      {
        encoding: 'utf8',
      },
    ).trim();
    expect(out).toMatch(STATIC_FLAG_DIGEST);
    const problems = validateChallengeEntity({
      apiVersion: 'flagstage.io/v1alpha1',
      kind: 'Challenge',
      metadata: { name: 'x' },
      spec: {
        owner: 'ctf-authors',
        category: 'misc',
        type: 'static',
        difficulty: 'easy',
        scoring: { function: 'static', value: 1 },
        flags: [{ kind: 'static', sha256: out }],
      },
    });
    expect(problems).toEqual([]);
  });

  it('gives the same digest from stdin, ignoring one trailing newline', () => {
    const fromArg = execFileSync(
      process.execPath,
      [cli, 'flag-hash', 'flagstage{stdin}'],
      {
        encoding: 'utf8',
      },
    );
    const fromStdin = execFileSync(process.execPath, [cli, 'flag-hash'], {
      encoding: 'utf8',
      input: 'flagstage{stdin}\n',
    });
    expect(fromStdin).toBe(fromArg);
  });

  it('matches an independently computed digest', () => {
    const out = execFileSync(process.execPath, [cli, 'flag-hash', 'abc'], {
      encoding: 'utf8',
    });
    // FIPS 180-2 test vector for "abc".
    expect(out.trim()).toBe(
      'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('refuses an unknown command with a usage message', () => {
    const result = spawnSync(process.execPath, [cli, 'flag-hsh', 'x'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command: flag-hsh/);
  });
});
