import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** The outcome of one promtool run. */
export interface PromtoolResult {
  status: number | null;
  output: string;
}

/**
 * Finds promtool: $PROMTOOL, else /usr/bin/promtool, else `promtool` on PATH.
 * Returns undefined when none runs.
 */
export function findPromtool(): string | undefined {
  const candidates = [process.env.PROMTOOL, '/usr/bin/promtool', 'promtool'];
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (candidate.includes('/') && !fs.existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return candidate;
  }
  return undefined;
}

/** Runs promtool with the arguments; stdout and stderr together. */
export function runPromtool(
  promtool: string,
  args: string[],
  cwd: string,
): PromtoolResult {
  const result = spawnSync(promtool, args, {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}

/**
 * promtool is a system binary, not an npm dependency. Outside CI a missing
 * promtool only warns (the tests that need it return early); with CI=true it
 * fails, so the pipeline cannot pass without running the rule tests.
 */
export function requirePromtool(): string | undefined {
  const promtool = findPromtool();
  if (promtool) return promtool;
  const message =
    'promtool not found ($PROMTOOL, /usr/bin/promtool or PATH): the Prometheus rule checks did not run';
  if (process.env.CI === 'true') throw new Error(message);
  // eslint-disable-next-line no-console
  console.warn(message);
  return undefined;
}
