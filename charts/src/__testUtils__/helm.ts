import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isCI } from '@flagstage/test-utils';
import type { Manifest } from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/manifests';
import { parseAllDocuments, stringify } from 'yaml';

export const repoRoot = path.resolve(__dirname, '../../..');
export const chartDir = path.join(repoRoot, 'charts/flagstage');
const helmScript = path.join(repoRoot, 'scripts/tools/helm.sh');

/**
 * The pinned Helm, built by scripts/tools/helm.sh on first use (minutes) and
 * cached. Resolved synchronously so a suite can decide at definition time;
 * jest's timeouts do not apply to module evaluation, so a cold build is fine.
 * Exit code 3 means no Go toolchain.
 */
function resolveHelm(): { helm?: string; missing?: string } {
  const r = spawnSync('bash', [helmScript], { encoding: 'utf8' });
  if (r.status === 0) return { helm: r.stdout.trim().split('\n').pop() };
  if (r.status === 3) return { missing: r.stderr.trim() };
  throw new Error(`scripts/tools/helm.sh failed (${r.status}):\n${r.stderr}`);
}

const resolved = resolveHelm();

/**
 * `describe` when Helm is available. Without Go: in CI throws (the chart
 * must be proven there); elsewhere prints why and skips, like the other
 * real-tool suites.
 */
export function describeWithHelm(): jest.Describe {
  if (resolved.helm) return describe;
  const message = `Helm cannot be built: ${resolved.missing}`;
  if (isCI)
    throw new Error(`${message}; CI=true requires it (install Go 1.26+)`);
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPING suite: ${message}. Install Go to run the chart tests.`,
  );
  return describe.skip;
}

export type HelmResult = { status: number; stdout: string; stderr: string };

/** Runs helm with the given arguments (the chart's symlink warning filtered out of stderr). */
export function helm(args: string[], cwd = chartDir): HelmResult {
  if (!resolved.helm) throw new Error('helm is not available');
  const r = spawnSync(resolved.helm, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: os.tmpdir() },
  });
  const stderr = r.stderr
    .split('\n')
    .filter(l => !/found symbolic link in path/.test(l))
    .join('\n')
    .trim();
  return { status: r.status ?? -1, stdout: r.stdout, stderr };
}

/** Writes values to a temporary file (for `-f`) and returns its path. */
export function valuesFile(values: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagstage-values-'));
  const file = path.join(dir, 'values.yaml');
  fs.writeFileSync(file, stringify(values));
  return file;
}

/**
 * `helm template` of the chart into namespace flagstage with the given values
 * files (relative to the chart or absolute); every rendered document parsed,
 * its source being the template it came from.
 */
export function render(
  valuesFiles: string[] = [],
  extra: string[] = [],
): Manifest[] {
  const r = helm([
    'template',
    'flagstage',
    '.',
    '--namespace',
    'flagstage',
    ...valuesFiles.flatMap(f => ['-f', f]),
    ...extra,
  ]);
  if (r.status !== 0) throw new Error(`helm template failed:\n${r.stderr}`);
  // Each document follows a `# Source: <template or file>` line.
  let source = 'helm template';
  return r.stdout.split(/^---$/m).flatMap((text, i) => {
    const comment = /^# Source: (\S+)/m.exec(text);
    if (comment) source = comment[1];
    const docs = parseAllDocuments(text);
    return docs.flatMap(doc => {
      if (doc.errors.length)
        throw new Error(`${source}: ${doc.errors[0].message}`);
      const object = doc.toJSON();
      return object ? [{ source: `${source}#${i}`, object }] : [];
    });
  });
}

/** The one object of a kind and name (throws when absent). */
export function find(
  ms: Manifest[],
  kind: string,
  name: string,
): Record<string, any> {
  const found = ms.find(
    m => m.object.kind === kind && m.object.metadata?.name === name,
  );
  if (!found) throw new Error(`no ${kind}/${name} rendered`);
  return found.object;
}

/** The pinned Helm binary's path (for runs that must not block, e.g. `helm test`). */
export function helmBinary(): string {
  if (!resolved.helm) throw new Error('helm is not available');
  return resolved.helm;
}
