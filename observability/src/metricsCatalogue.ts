import fs from 'node:fs';
import path from 'node:path';
import { observabilityDir, repoRoot, stackPaths } from './stackPaths';

/** One row of observability/metrics.md. */
export interface CatalogueEntry {
  name: string;
  type: string;
  labels: string;
  meaning: string;
  emittedBy: string;
}

/**
 * Reads the metric tables of metrics.md: every table row whose first cell is
 * a back-quoted metric name. The columns are Metric, Type, Labels, Meaning and
 * (last) Emitted by.
 */
export function readMetricsCatalogue(
  file = stackPaths.metricsCatalogue,
): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|(.*)\|\s*$/.exec(
      line,
    );
    if (!match) continue;
    const cells = match[2].split('|').map(c => c.trim());
    entries.push({
      name: match[1],
      type: cells[0] ?? '',
      labels: cells[1] ?? '',
      meaning: cells.slice(2, -1).join('|'),
      emittedBy: cells[cells.length - 1] ?? '',
    });
  }
  return entries;
}

/** Metrics Flagstage code does not create: prom-client defaults and Prometheus's own `up`. */
export function isExternalMetric(entry: CatalogueEntry): boolean {
  return (
    entry.name === 'up' ||
    /prom-client default|^Prometheus$/.test(entry.emittedBy)
  );
}

/**
 * Catalogued ahead of the code: the emitting service cell says `(planned)`.
 * metricsMissingFromCode still reports these; the catalogue test only warns
 * about them, so a specified-but-unwritten metric cannot turn main red while
 * every established metric stays strictly checked.
 */
export function isPlannedMetric(entry: CatalogueEntry): boolean {
  return /\(planned\)/.test(entry.emittedBy);
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
  'atan2',
]);

/**
 * The metric names a PromQL expression reads. Not a parser, but enough for
 * our rules and dashboards: drops strings, label matchers, grouping clauses,
 * ranges, Grafana variables and function names, then keeps identifiers.
 */
export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\$\{[^}]*\}|\$[a-zA-Z_]\w*/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(
      /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g,
      ' ',
    );
  const names = new Set<string>();
  const identifier = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;
  for (let m = identifier.exec(stripped); m; m = identifier.exec(stripped)) {
    const rest = stripped.slice(m.index + m[0].length);
    if (/^\s*\(/.test(rest)) continue; // a function call
    // Exponents of numbers (1e3) and unit-less digits never reach here.
    if (/[0-9.]$/.test(stripped.slice(0, m.index))) continue;
    if (PROMQL_WORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names].sort();
}

/**
 * Maps histogram series (`_bucket`, `_sum`, `_count`) to the catalogued
 * histogram's name; other names are returned unchanged.
 */
export function catalogueName(
  series: string,
  catalogue: CatalogueEntry[],
): string {
  const histogram = /^(.*)_(bucket|sum|count)$/.exec(series);
  if (
    histogram &&
    catalogue.some(e => e.name === histogram[1] && e.type === 'histogram')
  )
    return histogram[1];
  return series;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === '__fixtures__')
        continue;
      files.push(...sourceFiles(full));
    } else if (
      /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) &&
      !/\.test\.|\.d\.ts$/.test(entry.name)
    ) {
      files.push(full);
    }
  }
  return files;
}

/** packages/<name>/src and plugins/<name>/src of a repository. */
export function sourceRoots(root = repoRoot): string[] {
  return ['packages', 'plugins'].flatMap(parent => {
    const dir = path.join(root, parent);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter(e => e.isDirectory())
      .map(e => path.join(dir, e.name, 'src'));
  });
}

/**
 * Catalogued Flagstage metrics whose name appears in no non-test source file
 * as a string literal ('name', "name" or `name`) under packages/<name>/src and
 * plugins/<name>/src. This directory's own files are left out, so the check
 * cannot satisfy itself. Reports, does not throw:
 * the test using it decides how strict to be.
 */
export function metricsMissingFromCode(
  options: {
    catalogue?: CatalogueEntry[];
    roots?: string[];
  } = {},
): string[] {
  const catalogue = options.catalogue ?? readMetricsCatalogue();
  const roots = options.roots ?? sourceRoots();
  // This package's own sources name every metric; they prove nothing.
  const own = path.join(observabilityDir, 'src');
  const sources = roots
    .flatMap(sourceFiles)
    .filter(f => path.dirname(path.resolve(f)) !== own)
    .map(f => fs.readFileSync(f, 'utf8'));
  return catalogue
    .filter(entry => !isExternalMetric(entry))
    .map(entry => entry.name)
    .filter(name => {
      const literal = new RegExp(`['"\`]${name}['"\`]`);
      return !sources.some(source => literal.test(source));
    });
}
