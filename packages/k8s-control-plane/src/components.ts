import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ControlPlaneCerts } from './certs';
import { writeKubeconfig } from './kubeconfig';
import { podStagesYaml, type FaultImages } from './kwokStages';
import { freePort, startComponent, waitFor, type Component } from './processes';
import { apiserverFlags } from './apiserverFlags';
import type { ControlPlaneTools } from './tools';

/** A GET against the API server with a bearer token; resolves the status code. */
export function apiStatus(
  url: string,
  caCert: string,
  token: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        ca: fs.readFileSync(caCert),
        headers: { Authorization: `Bearer ${token}` },
        timeout: 2000,
      },
      res => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

export async function startEtcd(tools: ControlPlaneTools, dir: string) {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const etcd = startComponent(
    'etcd',
    tools.etcd,
    [
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=default=http://127.0.0.1:${peer}`,
      // A test cluster's data is thrown away: skip the fsyncs.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    dir,
  );
  await waitFor('etcd /health', async () => (await fetch(`${url}/health`)).ok, {
    timeoutMs: 30_000,
    component: etcd,
  });
  return { etcd, url };
}

export async function startApiserver(
  tools: ControlPlaneTools,
  dir: string,
  o: {
    certs: ControlPlaneCerts;
    etcdUrl: string;
    tokenFile: string;
    adminToken: string;
  },
) {
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const apiserver = startComponent(
    'kube-apiserver',
    tools.kubeApiserver,
    apiserverFlags({ ...o, port, certDir: path.join(dir, 'apiserver-certs') }),
    dir,
  );
  await waitFor(
    'kube-apiserver /readyz',
    async () =>
      (await apiStatus(`${server}/readyz`, o.certs.caCert, o.adminToken)) ===
      200,
    { timeoutMs: 90_000, component: apiserver },
  );
  return { apiserver, server };
}

/** kube-controller-manager and kube-scheduler, with the admin kubeconfig. */
export async function startControllers(
  tools: ControlPlaneTools,
  dir: string,
  o: { kubeconfig: string; certs: ControlPlaneCerts },
): Promise<Component[]> {
  const common = [
    `--kubeconfig=${o.kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
  ];
  const kcm = startComponent(
    'kube-controller-manager',
    tools.kubeControllerManager,
    [
      ...common,
      `--secure-port=${await freePort()}`,
      `--service-account-private-key-file=${o.certs.serviceAccountKey}`,
      `--root-ca-file=${o.certs.caCert}`,
      '--controllers=*',
      '--use-service-account-credentials=false',
      // Let finished Jobs and terminating namespaces go quickly in tests.
      '--concurrent-namespace-syncs=10',
      '--v=1',
    ],
    dir,
  );
  const scheduler = startComponent(
    'kube-scheduler',
    tools.kubeScheduler,
    [...common, `--secure-port=${await freePort()}`, '--v=1'],
    dir,
  );
  return [kcm, scheduler];
}

export const KWOK_NODE = 'kwok-node-0';

/**
 * kwok with kwok's node stages and the pod stages of kwokStages.ts. It also
 * serves the kubelet API on loopback (the node's InternalIP and kubelet
 * port point at it, TLS with the API server's serving certificate), so
 * `pods/log` works: every container's log is the file `podLog` wrote.
 */
export async function startKwok(
  tools: ControlPlaneTools,
  dir: string,
  o: {
    kubeconfig: string;
    faults: FaultImages;
    certs: ControlPlaneCerts;
    podLog: string;
  },
) {
  const config = path.join(dir, 'kwok-stages.yaml');
  const logFile = path.join(dir, 'container.log');
  fs.writeFileSync(logFile, o.podLog);
  const logs = stringify({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: 'every-container' },
    spec: { logs: [{ logsFile: logFile, follow: false }] },
  });
  fs.writeFileSync(
    config,
    [
      ...tools.kwokNodeStages.map(f => fs.readFileSync(f, 'utf8')),
      podStagesYaml(o.faults),
      logs,
    ].join('\n---\n'),
  );
  const kubeletPort = await freePort();
  return startComponent(
    'kwok',
    tools.kwok,
    [
      `--kubeconfig=${o.kubeconfig}`,
      `--config=${config}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--server-address=127.0.0.1:${kubeletPort}`,
      `--node-port=${kubeletPort}`,
      '--node-ip=127.0.0.1',
      `--tls-cert-file=${o.certs.servingCert}`,
      `--tls-private-key-file=${o.certs.servingKey}`,
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.0/16',
    ],
    dir,
  );
}

export function kwokNodeManifest() {
  const resources = {
    cpu: '32',
    memory: '256Gi',
    pods: '110',
    'ephemeral-storage': '100Gi',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: KWOK_NODE,
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
      },
      labels: {
        'kubernetes.io/hostname': KWOK_NODE,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
    },
    status: { allocatable: resources, capacity: resources },
  };
}

/** Argo's workflow-controller, namespaced to `namespace`, metrics off. */
export async function startWorkflowController(
  tools: ControlPlaneTools,
  dir: string,
  o: { server: string; caCert: string; adminToken: string; namespace: string },
) {
  // The controller reads its namespace (and config map) from the context.
  const kubeconfig = writeKubeconfig(
    path.join(dir, 'workflow-controller.kubeconfig'),
    {
      server: o.server,
      caCert: o.caCert,
      user: 'admin',
      token: o.adminToken,
      namespace: o.namespace,
    },
  );
  const controller = startComponent(
    'workflow-controller',
    tools.workflowController,
    [
      `--kubeconfig=${kubeconfig}`,
      '--namespaced',
      `--managed-namespace=${o.namespace}`,
      `--executor-image=quay.io/argoproj/argoexec:${tools.versions.ARGO_WORKFLOWS_VERSION}`,
      '--configmap=workflow-controller-configmap',
      '--loglevel=info',
    ],
    dir,
    // Requeue after 1 s instead of 10 s: test workflows are short.
    { LEADER_ELECTION_DISABLE: 'true', DEFAULT_REQUEUE_TIME: '1s' },
  );
  await waitFor(
    'workflow-controller start',
    async () =>
      fs
        .readFileSync(controller.logFile, 'utf8')
        .includes('Starting Workflow Controller'),
    { timeoutMs: 60_000, component: controller },
  );
  return controller;
}
