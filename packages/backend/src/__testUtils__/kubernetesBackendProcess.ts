import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort } from './e2e';

/** A cluster entry of `kubernetes.clusterLocatorMethods` (type config). */
export interface KubernetesViewsCluster {
  name: string;
  url: string;
  serviceAccountToken: string;
  caData: string;
}

/** The child backend: its base URL, a static token it accepts, and stop(). */
export interface KubernetesViewsBackend {
  baseUrl: string;
  token: string;
  /** What the child wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts __testUtils__/kubernetesBackend.ts in a plain Node child process:
 * @backstage/plugin-kubernetes-backend configured as the portal configures it
 * (one config cluster, authProvider serviceAccount), with `entities` in its
 * catalog. Callers authenticate with the returned static token.
 */
export async function startKubernetesBackend(options: {
  cluster: KubernetesViewsCluster;
  entities: object[];
}): Promise<KubernetesViewsBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('hex');
  const config = {
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'kubernetes-views' } },
        ],
      },
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [{ ...options.cluster, authProvider: 'serviceAccount' }],
        },
      ],
    },
  };
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, 'kubernetesBackend.ts'),
    ],
    {
      env: {
        ...process.env,
        FLAGSTAGE_KUBERNETES_BACKEND: JSON.stringify({
          config,
          entities: options.entities,
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', d => {
    stderr += d;
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', d => {
      if (String(d).includes('kubernetes-backend-ready')) resolve();
    });
    child.once('exit', code =>
      reject(new Error(`kubernetes backend exited (${code}): ${stderr}`)),
    );
  });
  return {
    baseUrl,
    token,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
