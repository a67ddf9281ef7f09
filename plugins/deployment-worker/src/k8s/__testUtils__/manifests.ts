import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A parsed manifest and where it came from (for messages). */
export type Manifest = { source: string; object: Record<string, any> };

export const repoRoot = path.resolve(__dirname, '../../../../..');
/** The Argo templates and RBAC live in the Helm chart (argo-templates/ points there). */
export const templatesDir = path.join(repoRoot, 'charts/flagstage/files/argo');

/** Every `.yaml`/`.yml` file under the chart's files/argo/ (including rbac/), sorted. */
export function templateFiles(dir = templatesDir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(e => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return templateFiles(p);
      return /\.ya?ml$/.test(e.name) ? [p] : [];
    })
    .sort();
}

/** Every YAML document of a file; a YAML syntax error throws. */
export function loadDocuments(file: string): Manifest[] {
  const rel = path.relative(repoRoot, file);
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).flatMap((doc, i) => {
    if (doc.errors.length)
      throw new Error(`${rel}: ${doc.errors.map(e => e.message).join('; ')}`);
    const object = doc.toJSON();
    return object ? [{ source: `${rel}#${i}`, object }] : [];
  });
}

/** Every document of every file under the chart's files/argo/. */
export const loadAllTemplates = (): Manifest[] =>
  templateFiles().flatMap(loadDocuments);

/** Values of the workflow variables (not parameters) the templates use. */
const WORKFLOW_VARIABLES: Record<string, string> = {
  namespace: 'argo',
  name: 'start-sample',
  status: 'Succeeded',
};

/**
 * Replaces Argo's `{{workflow.parameters.x}}`, `{{inputs.parameters.x}}` and
 * `{{workflow.namespace|name|status}}` with sample values, as Argo does
 * before it hands a manifest to kubectl. An unknown reference throws (a typo
 * in a template is a failing test, not a silently empty string).
 */
export function substitute(
  text: string,
  workflowParams: Record<string, string>,
  inputParams: Record<string, string> = {},
): string {
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (all, ref: string) => {
    let m = /^workflow\.parameters\.([\w-]+)$/.exec(ref);
    if (m && m[1] in workflowParams) return workflowParams[m[1]];
    m = /^inputs\.parameters\.([\w-]+)$/.exec(ref);
    if (m && m[1] in inputParams) return inputParams[m[1]];
    m = /^workflow\.(\w+)$/.exec(ref);
    if (m && m[1] in WORKFLOW_VARIABLES) return WORKFLOW_VARIABLES[m[1]];
    throw new Error(`no value for ${all}`);
  });
}

/**
 * Evaluates an Argo `when` expression of the form `'a' == 'b'` / `!=`,
 * joined by `&&` or `||` (no parentheses: && binds tighter, as in govaluate).
 * Anything else throws, so a template cannot drift past what we evaluate.
 */
export function evaluateWhen(expression: string): boolean {
  const comparison = (part: string) => {
    const m = /^\s*'([^']*)'\s*(==|!=)\s*'([^']*)'\s*$/.exec(part);
    if (!m) throw new Error(`unsupported when expression: ${expression}`);
    return m[2] === '==' ? m[1] === m[3] : m[1] !== m[3];
  };
  return expression
    .split('||')
    .some(any => any.split('&&').every(all => comparison(all)));
}

/** The declared defaults of a template's arguments, overridden by `supplied`. */
export function parametersWithDefaults(
  template: Manifest,
  supplied: Record<string, string>,
): Record<string, string> {
  const declared: { name: string; value?: string }[] =
    template.object.spec?.arguments?.parameters ?? [];
  const out: Record<string, string> = {};
  for (const p of declared) if (p.value !== undefined) out[p.name] = p.value;
  return { ...out, ...supplied };
}

/**
 * The manifests a WorkflowTemplate's `resource` templates would create for
 * the given workflow parameters: walks the DAG from the entrypoint, skips
 * tasks whose `when` is false, passes task arguments as inputs, and parses
 * each `resource.manifest` after substitution.
 */
export function createdManifests(
  template: Manifest,
  workflowParams: Record<string, string>,
): Manifest[] {
  const spec = template.object.spec;
  const byName = new Map<string, Record<string, any>>(
    (spec.templates ?? []).map((t: Record<string, any>) => [t.name, t]),
  );
  const out: Manifest[] = [];
  const visit = (name: string, inputs: Record<string, string>, at: string) => {
    const t = byName.get(name);
    if (!t) throw new Error(`${template.source}: no template ${name}`);
    if (t.resource?.manifest) {
      const declared: string[] = (t.inputs?.parameters ?? []).map(
        (p: { name: string }) => p.name,
      );
      for (const d of declared)
        if (!(d in inputs))
          throw new Error(`${at}: input ${d} of ${name} not supplied`);
      out.push({
        source: `${template.source}/${at}`,
        object: parse(substitute(t.resource.manifest, workflowParams, inputs)),
      });
    }
    for (const task of t.dag?.tasks ?? []) {
      if (task.when && !evaluateWhen(substitute(task.when, workflowParams)))
        continue;
      const args: Record<string, string> = {};
      for (const p of task.arguments?.parameters ?? [])
        args[p.name] = substitute(String(p.value), workflowParams, inputs);
      visit(task.template, args, task.name);
    }
  };
  visit(spec.entrypoint, {}, spec.entrypoint);
  return out;
}
