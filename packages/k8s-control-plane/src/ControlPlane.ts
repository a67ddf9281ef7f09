import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { generateCerts, type ControlPlaneCerts } from './certs';
import {
  kwokNodeManifest,
  KWOK_NODE,
  startApiserver,
  startControllers,
  startEtcd,
  startKwok,
  startWorkflowController,
} from './components';
import { ExecutorStandIn } from './executor/ExecutorStandIn';
import { writeKubeconfig } from './kubeconfig';
import { requestServiceAccountToken } from './serviceAccountToken';
import type { FaultImages } from './kwokStages';
import { exitCodeOf, rssMiB, stopComponent, type Component } from './processes';
import { ensureTools, type ControlPlaneTools } from './tools';

export type ControlPlaneOptions = {
  /** Images kwok turns into faults (see FaultImages). */
  faults?: FaultImages;
  /** The namespace of Argo's controller and the Workflows. Default: argo */
  argoNamespace?: string;
  /** Test users in the static token file (no groups: RBAC grants them nothing). */
  users?: string[];
  /** What `kubectl logs` returns for every container (kwok serves it). */
  podLog?: string;
  /** Keep the run directory (logs, certs) after stop. Default: false */
  keepRunDir?: boolean;
  log?: (line: string) => void;
};

/** The default container log, one line. */
export const DEFAULT_POD_LOG =
  '2026-01-01T00:00:00.000000000Z stdout F listening on :8080 (a log line served by kwok)\n';

export type KubectlResult = { code: number; stdout: string; stderr: string };

/**
 * A real control plane on loopback: etcd, kube-apiserver, kube-controller-
 * manager, kube-scheduler, kwok with one fake node, Argo's workflow-controller
 * with Argo's CRDs, and the executor stand-in.
 */
export class ControlPlane {
  private constructor(
    readonly server: string,
    readonly runDir: string,
    readonly certs: ControlPlaneCerts,
    readonly tools: ControlPlaneTools,
    readonly adminToken: string,
    /** Static-token users by name → token. */
    readonly userTokens: Record<string, string>,
    readonly adminKubeconfig: string,
    readonly executor: ExecutorStandIn,
    private readonly components: Component[],
    private readonly options: ControlPlaneOptions,
    readonly startupMs: number,
  ) {}

  static async start(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
    const log = options.log ?? (line => process.stderr.write(`${line}\n`));
    const tools = await ensureTools(log);
    const began = Date.now();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagstage-cp-'));
    const certs = generateCerts(path.join(runDir, 'pki'));
    const adminToken = crypto.randomBytes(24).toString('hex');
    const userTokens: Record<string, string> = {};
    const lines = [`${adminToken},admin,admin-uid,"system:masters"`];
    for (const user of options.users ?? ['alice']) {
      userTokens[user] = crypto.randomBytes(24).toString('hex');
      lines.push(`${userTokens[user]},${user},${user}-uid`);
    }
    const tokenFile = path.join(runDir, 'tokens.csv');
    fs.writeFileSync(tokenFile, `${lines.join('\n')}\n`, { mode: 0o600 });

    const components: Component[] = [];
    const stopAll = () =>
      Promise.all(components.reverse().map(c => stopComponent(c)));
    try {
      const { etcd, url: etcdUrl } = await startEtcd(tools, runDir);
      components.push(etcd);
      const { apiserver, server } = await startApiserver(tools, runDir, {
        certs,
        etcdUrl,
        tokenFile,
        adminToken,
      });
      components.push(apiserver);
      const adminKubeconfig = writeKubeconfig(
        path.join(runDir, 'admin.kubeconfig'),
        {
          server,
          caCert: certs.caCert,
          user: 'admin',
          token: adminToken,
        },
      );
      components.push(
        ...(await startControllers(tools, runDir, {
          kubeconfig: adminKubeconfig,
          certs,
        })),
      );
      const argoNamespace = options.argoNamespace ?? 'argo';
      const kubectl = kubectlRunner(tools.kubectl, adminKubeconfig);
      await must(
        kubectl(['create', '-f', '-'], JSON.stringify(kwokNodeManifest())),
      );
      components.push(
        await startKwok(tools, runDir, {
          kubeconfig: adminKubeconfig,
          faults: options.faults ?? {},
          certs,
          podLog: options.podLog ?? DEFAULT_POD_LOG,
        }),
      );
      for (const crd of tools.argoCrds) {
        await must(kubectl(['apply', '--server-side', '-f', crd]));
      }
      await must(
        kubectl([
          'wait',
          '--for=condition=Established',
          'crd',
          '--all',
          '--timeout=60s',
        ]),
      );
      await must(kubectl(['create', 'namespace', argoNamespace]));
      await must(
        kubectl([
          '-n',
          argoNamespace,
          'create',
          'configmap',
          'workflow-controller-configmap',
          // Metrics off: their fixed ports would clash between planes.
          '--from-literal=config=metricsConfig:\n  enabled: false\ntelemetryConfig:\n  enabled: false\n',
        ]),
      );
      components.push(
        await startWorkflowController(tools, runDir, {
          server,
          caCert: certs.caCert,
          adminToken,
          namespace: argoNamespace,
        }),
      );
      await must(
        kubectl([
          'wait',
          '--for=condition=Ready',
          `node/${KWOK_NODE}`,
          '--timeout=60s',
        ]),
      );
      const admin = new KubeConfig();
      admin.loadFromFile(adminKubeconfig);
      const executor = new ExecutorStandIn({
        admin,
        server,
        caCert: certs.caCert,
        kubectl: tools.kubectl,
        namespaces: [argoNamespace],
        workDir: fs.mkdtempSync(path.join(runDir, 'executor-')),
        log,
      });
      executor.start();
      const plane = new ControlPlane(
        server,
        runDir,
        certs,
        tools,
        adminToken,
        userTokens,
        adminKubeconfig,
        executor,
        components,
        options,
        Date.now() - began,
      );
      log(plane.report());
      return plane;
    } catch (e) {
      await stopAll();
      throw new Error(
        `the control plane did not start (logs in ${runDir}): ${
          (e as Error).message
        }`,
      );
    }
  }

  /** Start-up time and the resident memory of each process. */
  report(): string {
    const rss = this.components.map(
      c => `${c.name} ${rssMiB(c.child.pid)} MiB`,
    );
    const total = this.components.reduce(
      (s, c) => s + (rssMiB(c.child.pid) || 0),
      0,
    );
    return `k8s-control-plane: ${this.server} up in ${(
      this.startupMs / 1000
    ).toFixed(1)} s; RSS ${rss.join(', ')} (total ${total} MiB); logs in ${
      this.runDir
    }`;
  }

  /** The real kubectl as admin (or with `token`); never throws on a refusal. */
  kubectl(args: string[], options: { input?: string; token?: string } = {}) {
    const kubeconfig = options.token
      ? this.kubeconfigFor('token-user', options.token)
      : this.adminKubeconfig;
    return kubectlRunner(this.tools.kubectl, kubeconfig)(args, options.input);
  }

  /** kubectl reading `input` (a manifest, JSON or YAML) on stdin. */
  kubectlStdin(args: string[], input: string, token?: string) {
    return this.kubectl(args, { input, token });
  }

  /** A kubeconfig file for a bearer token. */
  kubeconfigFor(user: string, token: string): string {
    const file = path.join(
      this.runDir,
      `kubeconfig-${crypto
        .createHash('sha1')
        .update(token)
        .digest('hex')
        .slice(0, 10)}`,
    );
    return fs.existsSync(file)
      ? file
      : writeKubeconfig(file, {
          server: this.server,
          caCert: this.certs.caCert,
          user,
          token,
        });
  }

  /** A token of a ServiceAccount (TokenRequest API), as a pod would get it. */
  serviceAccountToken(
    namespace: string,
    name: string,
    expirationSeconds = 3600,
  ) {
    const core = this.adminConfig().makeApiClient(CoreV1Api);
    return requestServiceAccountToken(core, namespace, name, {
      expirationSeconds,
    });
  }

  adminConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromFile(this.adminKubeconfig);
    return kc;
  }

  async stop() {
    await this.executor.stop();
    for (const c of [...this.components].reverse()) await stopComponent(c);
    if (!this.options.keepRunDir)
      fs.rmSync(this.runDir, { recursive: true, force: true });
  }
}

function kubectlRunner(kubectl: string, kubeconfig: string) {
  return (args: string[], input?: string) =>
    new Promise<KubectlResult>(resolve => {
      const child = execFile(
        kubectl,
        [`--kubeconfig=${kubeconfig}`, ...args],
        { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({
            code: exitCodeOf(error),
            stdout: String(stdout),
            stderr: String(stderr),
          }),
      );
      if (input !== undefined) child.stdin?.end(input);
    });
}

async function must(result: Promise<KubectlResult>): Promise<string> {
  const r = await result;
  if (r.code !== 0)
    throw new Error(`kubectl failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}
