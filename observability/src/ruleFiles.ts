import fs from 'node:fs';
import path from 'node:path';
import { stackPaths } from './stackPaths';

/** One rule of a Prometheus rule group, as far as these tests look at it. */
export interface PromRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rule group. */
export interface PromRuleGroup {
  name: string;
  rules: PromRule[];
}

/** The unit test files: observability/prometheus/tests/*.test.yaml, sorted. */
export function ruleTestFiles(): string[] {
  return fs
    .readdirSync(stackPaths.ruleTestsDir)
    .filter(name => name.endsWith('.test.yaml'))
    .sort()
    .map(name => path.join(stackPaths.ruleTestsDir, name));
}
