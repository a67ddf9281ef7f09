import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * charts/flagstage/README.md's Parameters section is generated from the
 * values.yaml comments (charts/scripts/readme.mjs, Bitnami's
 * readme-generator-for-helm): regenerating must change nothing.
 */
describe('charts/flagstage/README.md', () => {
  it('is current with values.yaml (run `yarn workspace @flagstage/charts readme`)', () => {
    const committed = path.resolve(__dirname, '../flagstage/README.md');
    const copy = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'chart-readme-')),
      'README.md',
    );
    fs.copyFileSync(committed, copy);
    execFileSync(
      process.execPath,
      [path.resolve(__dirname, '../scripts/readme.mjs'), copy],
      { stdio: 'pipe' },
    );
    expect(fs.readFileSync(copy, 'utf8')).toBe(
      fs.readFileSync(committed, 'utf8'),
    );
  });
});
