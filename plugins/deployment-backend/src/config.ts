import type { Config } from '@backstage/config';

/** The one `deployment` config section, with defaults applied. */
export type DeploymentConfig = {
  instanceTtlSeconds: number;
  maxActivePerTeam: number;
  extend: { windowMinutes: number; maxTimes: number; bySeconds: number };
  queue: {
    expirySeconds: number;
    amqpUrl?: string;
    prefix: string;
    deliveryLimit: number;
    maxLength: number;
  };
  cacheTtlSeconds: number;
  workflow: { ttlSeconds: number; deadlineSeconds: number };
  gateway: {
    keys: { kid: string; secret: string }[];
    httpUrlTemplate: string;
    tcpHost: string;
    tcpPort: number;
    wsTcpUrl: string;
    tokenTtlSeconds: number;
  };
  /** Service principals (`plugin:<id>` or `external:<subject>`) each route group admits. */
  serviceCallers: { instances: string[]; worker: string[]; builds: string[] };
};

export const DEFAULT_DEPLOYMENT_CONFIG: Omit<DeploymentConfig, 'gateway'> & {
  gateway: Omit<DeploymentConfig['gateway'], 'keys'>;
} = {
  instanceTtlSeconds: 3600,
  maxActivePerTeam: 3,
  extend: { windowMinutes: 10, maxTimes: 2, bySeconds: 1800 },
  queue: { expirySeconds: 120, prefix: '', deliveryLimit: 5, maxLength: 10000 },
  cacheTtlSeconds: 30,
  workflow: { ttlSeconds: 3 * 3600, deadlineSeconds: 120 },
  gateway: {
    httpUrlTemplate: 'http://{instance}.gateway.localhost:8080',
    tcpHost: 'gateway.localhost',
    tcpPort: 8081,
    wsTcpUrl: 'ws://gateway.localhost:8080/tcp',
    tokenTtlSeconds: 3600,
  },
  serviceCallers: {
    instances: ['plugin:contest'],
    worker: ['plugin:deployment-worker'],
    builds: [],
  },
};

/**
 * Values that contradict each other leave stale state behind (a job that
 * outlives its instance, a workflow deleted under a running instance, a
 * cached "RUNNING" after the end). Each problem says which values and why.
 */
export function deploymentConfigProblems(c: DeploymentConfig): string[] {
  const problems: string[] = [];
  const longestLife =
    c.instanceTtlSeconds + c.extend.maxTimes * c.extend.bySeconds;
  if (c.queue.expirySeconds >= c.instanceTtlSeconds)
    problems.push(
      `deployment.queue.expirySeconds (${c.queue.expirySeconds}) must be shorter than deployment.instanceTtlSeconds (${c.instanceTtlSeconds}): a job still queued when its instance would have expired is useless`,
    );
  if (c.cacheTtlSeconds >= c.queue.expirySeconds)
    problems.push(
      `deployment.cacheTtlSeconds (${c.cacheTtlSeconds}) must be shorter than deployment.queue.expirySeconds (${c.queue.expirySeconds}): a cached state could outlive the job that changes it`,
    );
  if (c.workflow.ttlSeconds < longestLife + c.workflow.deadlineSeconds)
    problems.push(
      `deployment.workflow.ttlSeconds (${
        c.workflow.ttlSeconds
      }) must be at least instanceTtlSeconds + extend.maxTimes × extend.bySeconds + workflow.deadlineSeconds (${
        longestLife + c.workflow.deadlineSeconds
      }): the workflow would be garbage-collected while its instance may still run`,
    );
  if (c.extend.windowMinutes * 60 >= c.instanceTtlSeconds)
    problems.push(
      `deployment.extend.windowMinutes (${c.extend.windowMinutes}) must be shorter than deployment.instanceTtlSeconds: the extend window would open at start`,
    );
  if (c.gateway.tokenTtlSeconds > longestLife)
    problems.push(
      `deployment.gateway.tokenTtlSeconds (${c.gateway.tokenTtlSeconds}) must not exceed the longest instance life (${longestLife}): tokens would outlive their instances`,
    );
  for (const k of c.gateway.keys) {
    if (Buffer.from(k.secret, 'base64').length < 32)
      problems.push(
        `deployment.gateway.keys: the secret of "${k.kid}" must be at least 32 bytes (base64)`,
      );
  }
  if (!c.gateway.httpUrlTemplate.includes('{instance}'))
    problems.push('deployment.gateway.httpUrlTemplate must contain {instance}');
  return problems;
}

export function readDeploymentConfig(config: Config): DeploymentConfig {
  const d = DEFAULT_DEPLOYMENT_CONFIG;
  const c = config.getOptionalConfig('deployment');
  const num = (key: string, fallback: number) =>
    c?.getOptionalNumber(key) ?? fallback;
  const result: DeploymentConfig = {
    instanceTtlSeconds: num('instanceTtlSeconds', d.instanceTtlSeconds),
    maxActivePerTeam: num('maxActivePerTeam', d.maxActivePerTeam),
    extend: {
      windowMinutes: num('extend.windowMinutes', d.extend.windowMinutes),
      maxTimes: num('extend.maxTimes', d.extend.maxTimes),
      bySeconds: num('extend.bySeconds', d.extend.bySeconds),
    },
    queue: {
      expirySeconds: num('queue.expirySeconds', d.queue.expirySeconds),
      amqpUrl: c?.getOptionalString('queue.amqpUrl') || undefined,
      prefix: c?.getOptionalString('queue.prefix') ?? d.queue.prefix,
      deliveryLimit: num('queue.deliveryLimit', d.queue.deliveryLimit),
      maxLength: num('queue.maxLength', d.queue.maxLength),
    },
    cacheTtlSeconds: num('cacheTtlSeconds', d.cacheTtlSeconds),
    workflow: {
      ttlSeconds: num('workflow.ttlSeconds', d.workflow.ttlSeconds),
      deadlineSeconds: num(
        'workflow.deadlineSeconds',
        d.workflow.deadlineSeconds,
      ),
    },
    gateway: {
      keys: (c?.getOptionalConfigArray('gateway.keys') ?? []).map(k => ({
        kid: k.getString('kid'),
        secret: k.getString('secret'),
      })),
      httpUrlTemplate:
        c?.getOptionalString('gateway.httpUrlTemplate') ??
        d.gateway.httpUrlTemplate,
      tcpHost: c?.getOptionalString('gateway.tcpHost') ?? d.gateway.tcpHost,
      tcpPort: num('gateway.tcpPort', d.gateway.tcpPort),
      wsTcpUrl: c?.getOptionalString('gateway.wsTcpUrl') ?? d.gateway.wsTcpUrl,
      tokenTtlSeconds: num(
        'gateway.tokenTtlSeconds',
        d.gateway.tokenTtlSeconds,
      ),
    },
    serviceCallers: {
      instances:
        c?.getOptionalStringArray('serviceCallers.instances') ??
        d.serviceCallers.instances,
      worker:
        c?.getOptionalStringArray('serviceCallers.worker') ??
        d.serviceCallers.worker,
      builds:
        c?.getOptionalStringArray('serviceCallers.builds') ??
        d.serviceCallers.builds,
    },
  };
  const problems = deploymentConfigProblems(result);
  if (problems.length > 0)
    throw new Error(`Invalid deployment config:\n- ${problems.join('\n- ')}`);
  return result;
}
