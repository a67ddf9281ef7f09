import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments, parse } from 'yaml';

export type Manifest = { source: string; object: any };

export const repoRoot = path.resolve(__dirname, '../../../../..');
export const templatesDir = path.join(repoRoot, 'argo-templates');

/** Every YAML document under argo-templates/ (templates and rbac/). */
export function loadTemplateFiles(): Manifest[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  walk(templatesDir);
  return files.flatMap(file =>
    parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc, i) => {
      if (doc.errors.length)
        throw new Error(
          `${file}: ${doc.errors.map(e => e.message).join('; ')}`,
        );
      return {
        source: `${path.relative(repoRoot, file)}#${i}`,
        object: doc.toJSON(),
      };
    }),
  );
}

/** Replaces `{{workflow.parameters.x}}` (and `{{inputs.parameters.x}}`) with sample values. */
export function substitute(text: string, params: Record<string, string>) {
  return text.replace(
    /\{\{\s*(?:workflow|inputs)\.parameters\.([\w-]+)\s*\}\}|\{\{\s*workflow\.(name|status)\s*\}\}/g,
    (all, name, wf) => {
      if (wf) return wf === 'name' ? 'start-sample' : 'Succeeded';
      if (!(name in params)) throw new Error(`no sample value for ${all}`);
      return params[name];
    },
  );
}

/** The manifests a WorkflowTemplate's `resource` templates create, with sample parameters. */
export function embeddedManifests(
  template: Manifest,
  params: Record<string, string>,
): Manifest[] {
  const templates = template.object.spec?.templates ?? [];
  return templates
    .filter((t: any) => t.resource?.manifest)
    .map((t: any) => ({
      source: `${template.source}/${t.name}`,
      object: parse(substitute(t.resource.manifest, params)),
    }));
}

/** Runs scripts/validate-manifests.mjs (the ESM-only schema packages) on manifests. */
export function schemaErrors(manifests: Manifest[]): string[] {
  const result = spawnSync(
    process.execPath,
    [
      path.join(
        repoRoot,
        'plugins/deployment-worker/scripts/validate-manifests.mjs',
      ),
    ],
    { input: JSON.stringify(manifests), encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`validate-manifests failed: ${result.stderr}`);
  const out = JSON.parse(result.stdout) as {
    source: string;
    kind: string;
    errors: string[];
  }[];
  return out.flatMap(r => r.errors.map(e => `${r.source} (${r.kind}): ${e}`));
}
