import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exitCodeOf } from '../processes';
import type { ArgoTemplate } from './argoPod';

/** What one step did: argoexec's exit code, and the message it would leave. */
export type StepOutcome = {
  exitCode: number;
  message?: string;
  stdout: string;
};

type Exec = { kubectl: string; kubeconfig: string; workDir: string };

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<StepOutcome> {
  return new Promise(resolve => {
    execFile(
      file,
      args,
      { env, cwd, timeout: 60_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = exitCodeOf(error);
        resolve({
          exitCode: code,
          stdout: String(stdout),
          message: code ? String(stderr).trim().slice(-1000) : undefined,
        });
      },
    );
  });
}

/**
 * `argoexec resource <action>`: kubectl with the manifest file and the
 * template's flags, `-o json` (delete: `--ignore-not-found -o name`), as
 * workflow/executor/resource.go builds the command line.
 */
function resourceArgs(
  resource: NonNullable<ArgoTemplate['resource']>,
  manifestPath: string,
): string[] {
  const args = [resource.action];
  let output = 'json';
  if (resource.action === 'delete') {
    args.push('--ignore-not-found');
    output = 'name';
  }
  args.push(...(resource.flags ?? []));
  if (resource.manifest) args.push('-f', manifestPath);
  args.push('-o', output);
  return args;
}

/**
 * Runs one Argo template as argoexec would, with the pod's service-account
 * kubeconfig: resource templates through kubectl, container and script
 * templates as a local process with that kubectl first on PATH.
 */
export async function runStep(
  template: ArgoTemplate,
  exec: Exec,
): Promise<StepOutcome> {
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(exec.kubectl)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: exec.workDir,
    KUBECONFIG: exec.kubeconfig,
  };
  if (template.resource) {
    const manifest = path.join(exec.workDir, 'manifest.yaml');
    fs.writeFileSync(manifest, template.resource.manifest ?? '');
    return run(
      exec.kubectl,
      resourceArgs(template.resource, manifest),
      env,
      exec.workDir,
    );
  }
  const container = template.script ?? template.container;
  if (!container) {
    return {
      exitCode: 1,
      stdout: '',
      message: `executor stand-in: template ${template.name} is neither resource, container nor script`,
    };
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
  }
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (template.script) {
    const source = path.join(exec.workDir, 'script');
    fs.writeFileSync(source, template.script.source);
    argv.push(source);
  }
  if (!['sh', 'bash', '/bin/sh', '/bin/bash'].includes(argv[0] ?? '')) {
    return {
      exitCode: 1,
      stdout: '',
      message: `executor stand-in: cannot run image ${container.image} (command ${argv[0]}); only sh/bash steps with kubectl run here`,
    };
  }
  return run(argv[0], argv.slice(1), env, exec.workDir);
}
