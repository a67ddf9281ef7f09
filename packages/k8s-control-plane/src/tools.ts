import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the Go-built binaries of one pinned version set live. */
export type ControlPlaneTools = {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  etcd: string;
  kwok: string;
  /** kwok's own node stages (copied from its module by scripts/tools/kwok.sh). */
  kwokNodeStages: string[];
  workflowController: string;
  /** Argo's CRDs of the same release (manifests/base/crds/full). */
  argoCrds: string[];
  versions: Record<string, string>;
};

/** The repository's scripts/tools (this package lives in packages/). */
export const TOOLS_SCRIPTS_DIR = path.resolve(
  // A test-only package, run from source: never bundled, so __dirname holds.
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '..',
  '..',
  '..',
  'scripts',
  'tools',
);

/** The pinned versions, read from scripts/tools/versions.env (the one place). */
export function pinnedVersions(): Record<string, string> {
  const text = fs.readFileSync(
    path.join(TOOLS_SCRIPTS_DIR, 'versions.env'),
    'utf8',
  );
  const versions: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(\S+)/.exec(line.trim());
    if (m) versions[m[1]] = m[2];
  }
  return versions;
}

export function toolsDir(): string {
  return (
    process.env.FLAGSTAGE_TOOLS_DIR ??
    path.join(os.homedir(), '.cache', 'flagstage-tools')
  );
}

function locate(): ControlPlaneTools {
  const v = pinnedVersions();
  const dir = toolsDir();
  const k8s = path.join(dir, `kubernetes-${v.KUBERNETES_VERSION}`);
  const kwok = path.join(dir, `kwok-${v.KWOK_VERSION}`);
  const argo = path.join(dir, `argo-workflows-${v.ARGO_WORKFLOWS_VERSION}`);
  const yamlIn = (d: string) =>
    fs.existsSync(d)
      ? fs
          .readdirSync(d)
          .filter(f => f.endsWith('.yaml'))
          .sort()
          .map(f => path.join(d, f))
      : [];
  return {
    kubeApiserver: path.join(k8s, 'kube-apiserver'),
    kubeControllerManager: path.join(k8s, 'kube-controller-manager'),
    kubeScheduler: path.join(k8s, 'kube-scheduler'),
    kubectl: path.join(k8s, 'kubectl'),
    etcd: path.join(dir, `etcd-${v.ETCD_VERSION}`, 'etcd'),
    kwok: path.join(kwok, 'kwok'),
    kwokNodeStages: yamlIn(path.join(kwok, 'stages')),
    workflowController: path.join(argo, 'workflow-controller'),
    argoCrds: yamlIn(path.join(argo, 'crds')),
    versions: v,
  };
}

/** The stamp files the build scripts write when a tool is complete. */
function builtStamps(): string[] {
  const v = pinnedVersions();
  return [
    `kubernetes-${v.KUBERNETES_VERSION}`,
    `etcd-${v.ETCD_VERSION}`,
    `kwok-${v.KWOK_VERSION}`,
    `argo-workflows-${v.ARGO_WORKFLOWS_VERSION}`,
  ].map(d => path.join(toolsDir(), d, '.built'));
}

export function toolsBuilt(): boolean {
  return builtStamps().every(f => fs.existsSync(f));
}

/** The Go toolchain, on PATH or in /usr/local/go/bin; undefined when absent. */
export function findGo(): string | undefined {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * Why the control plane cannot run here, or undefined when it can: the tools
 * are built, or Go is there to build them.
 */
export function controlPlaneUnavailableReason(): string | undefined {
  if (toolsBuilt()) return undefined;
  if (findGo()) return undefined;
  return `the Go toolchain is not installed and the control-plane tools are not built in ${toolsDir()}`;
}

/**
 * The tools, built first when missing (scripts/tools/control-plane.sh: once
 * per machine, a cold build takes tens of minutes; progress goes to stderr).
 */
export async function ensureTools(
  log: (line: string) => void = line => process.stderr.write(`${line}\n`),
): Promise<ControlPlaneTools> {
  if (!toolsBuilt()) {
    log(
      'k8s-control-plane: building the control-plane tools (scripts/tools/control-plane.sh)',
    );
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        'bash',
        [path.join(TOOLS_SCRIPTS_DIR, 'control-plane.sh')],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr.on('data', chunk =>
        String(chunk)
          .split('\n')
          .filter(Boolean)
          .forEach(line => log(line)),
      );
      child.on('error', reject);
      child.on('exit', code =>
        code === 0
          ? resolve()
          : reject(new Error(`control-plane.sh exited with ${code}`)),
      );
    });
  }
  const tools = locate();
  if (tools.argoCrds.length === 0 || tools.kwokNodeStages.length === 0) {
    throw new Error(`incomplete tools in ${toolsDir()}`);
  }
  return tools;
}
