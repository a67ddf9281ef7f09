import fs from 'node:fs';
import path from 'node:path';

/**
 * Offline validation against the official schemas (kubernetes-models,
 * @kubernetes-models/argo-workflows), in-process.
 *
 * Those packages are ESM-only and export only an `import` condition, which
 * jest's CommonJS resolver cannot follow. Node 24 itself can `require()` an
 * ES module, so we load them with Node's own require (createRequire) by file
 * path, outside jest's module registry. The classes are the real ones; only
 * their types come from a type-only import. (`import { createRequire } from
 * 'node:module'` would not do: jest hands out its own `module`, whose require
 * is jest's; process.getBuiltinModule reaches Node's.)
 */

const nodeRequire = process
  .getBuiltinModule('node:module')
  .createRequire(__filename);

function findNodeModules(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'kubernetes-models');
    if (fs.existsSync(candidate)) return path.join(dir, 'node_modules');
    if (path.dirname(dir) === dir)
      throw new Error('kubernetes-models is not installed');
  }
}
const nodeModules = findNodeModules();

/**
 * Loads a model module by its package specifier, e.g.
 * `loadModels<typeof import('kubernetes-models/v1/Namespace')>('kubernetes-models/v1/Namespace')`.
 */
export function loadModels<T>(specifier: string): T {
  return nodeRequire(path.join(nodeModules, `${specifier}.js`)) as T;
}

/** The model module for an apiVersion, or undefined for an unknown group. */
function specifierFor(apiVersion: string, kind: string): string | undefined {
  if (apiVersion === 'argoproj.io/v1alpha1')
    return `@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/${kind}`;
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  if (!/^[a-z0-9.]*$/.test(group) || !/^v\d+((alpha|beta)\d+)?$/.test(version))
    return undefined;
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

type ModelClass = new (data: unknown) => { validate(): void };

/**
 * The schema errors of one object ([] when valid). An unknown apiVersion or
 * kind is an error too: everything we ship must be checkable.
 */
export function schemaErrorsOf(object: {
  apiVersion?: unknown;
  kind?: unknown;
}): string[] {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string')
    return ['apiVersion and kind must be strings'];
  const specifier = specifierFor(apiVersion, kind);
  const file = specifier && path.join(nodeModules, `${specifier}.js`);
  if (!file || !fs.existsSync(file))
    return [`no schema for ${apiVersion}/${kind}`];
  const Model = (nodeRequire(file) as Record<string, ModelClass>)[kind];
  if (!Model) return [`no model ${kind} in ${specifier}`];
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    return [String((e as Error)?.message ?? e)];
  }
}

/** Schema errors of many manifests, each prefixed with its source. */
export function schemaErrors(
  manifests: { source: string; object: Record<string, any> }[],
): string[] {
  return manifests.flatMap(m =>
    schemaErrorsOf(m.object).map(e => `${m.source} (${m.object.kind}): ${e}`),
  );
}
