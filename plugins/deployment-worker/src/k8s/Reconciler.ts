import {
  CoreV1Api,
  type KubeConfig,
  type V1Namespace,
} from '@kubernetes/client-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { InstanceState } from '@flagstage/plugin-deployment-common';
import type { InstanceRecord } from '../services/clients';
import type { InstanceTransitions } from './PodListener';
import { LABELS, MANAGED_BY_SELECTOR } from './names';

/** What the reconciler needs from the deployment backend (InstanceApi implements it). */
export interface ReconcilerInstances extends InstanceTransitions {
  list(states: InstanceState[]): Promise<InstanceRecord[]>;
  refreshCache(ids: string[]): Promise<number>;
}

/** What the reconciler needs from the driver. */
export interface ReconcilerRuntime {
  teardown(instanceId: string): Promise<void>;
  deleteNamespace(name: string): Promise<void>;
}

export type ReconcileKind =
  | 'ghost_namespace'
  | 'stuck_deploy'
  | 'orphan_row'
  | 'expired';

export type ReconcileReport = Record<ReconcileKind, number> & {
  /** Active instances whose cached view was rewritten. */
  refreshed: number;
};

export type ReconcilerOptions = {
  kubeConfig: KubeConfig;
  instances: ReconcilerInstances;
  runtime: ReconcilerRuntime;
  logger: LoggerService;
  /** A DEPLOYING instance older than this is stuck. Default: 180 s (the 120 s workflow deadline plus margin). */
  deployDeadlineMs?: number;
  /** Leave objects younger than this alone (they may be mid-creation). Default: 30 s */
  graceMs?: number;
  onAction?: (kind: ReconcileKind) => void;
};

const ACTIVE: InstanceState[] = ['DEPLOYING', 'RUNNING', 'STOPPING'];

const age = (now: Date, iso: string | undefined) =>
  iso ? now.getTime() - Date.parse(iso) : Number.POSITIVE_INFINITY;

/**
 * Compares the cluster with the instance rows and repairs the difference,
 * one decision per object, each logged and counted:
 * - a namespace of ours with no active row → deleted (ghost);
 * - a row DEPLOYING past the deploy deadline → FAILED, and its runtime torn down;
 * - a row RUNNING or STOPPING whose namespace is gone → STOPPED (orphan);
 * - a row RUNNING past its expiry (the backend's sweeper missed it) → EXPIRED, torn down.
 * Then it rewrites the deployment backend's cache for every active row, so
 * the polling path is whole again after Redis lost its keys. Runs as a
 * global-scope scheduled task: one worker at a time.
 */
export class Reconciler {
  private readonly core: CoreV1Api;

  constructor(private readonly options: ReconcilerOptions) {
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
  }

  async run(now = new Date()): Promise<ReconcileReport> {
    const { instances, runtime, logger } = this.options;
    const deadline = this.options.deployDeadlineMs ?? 180_000;
    const grace = this.options.graceMs ?? 30_000;
    const report: ReconcileReport = {
      ghost_namespace: 0,
      stuck_deploy: 0,
      orphan_row: 0,
      expired: 0,
      refreshed: 0,
    };
    const act = (kind: ReconcileKind, fields: Record<string, unknown>) => {
      report[kind] += 1;
      this.options.onAction?.(kind);
      logger.info(`Reconciler: ${kind.replace('_', ' ')}`, {
        action: kind,
        ...fields,
      });
    };

    // Rows first, then the cluster: a namespace created in between has a row.
    const rows = await instances.list(ACTIVE);
    const namespaces: V1Namespace[] = (
      await this.core.listNamespace({ labelSelector: MANAGED_BY_SELECTOR })
    ).items;
    const rowById = new Map(rows.map(r => [r.id, r]));
    const namespaceByInstance = new Map<string, V1Namespace>();
    for (const ns of namespaces) {
      const id = ns.metadata?.labels?.[LABELS.instance];
      if (id) namespaceByInstance.set(id, ns);
    }

    for (const ns of namespaces) {
      const name = ns.metadata?.name ?? '';
      const id = ns.metadata?.labels?.[LABELS.instance];
      if (ns.status?.phase === 'Terminating') continue;
      const created = ns.metadata?.creationTimestamp;
      const createdIso =
        created instanceof Date ? created.toISOString() : (created as any);
      if (age(now, createdIso) < grace) continue;
      if (!id || !rowById.has(id)) {
        await runtime.deleteNamespace(name);
        act('ghost_namespace', { namespace: name, instanceId: id });
      }
    }

    for (const row of rows) {
      const ns = namespaceByInstance.get(row.id);
      if (row.state === 'DEPLOYING' && age(now, row.updated_at) > deadline) {
        const r = await instances.transition(row.id, ['DEPLOYING'], 'FAILED', {
          reason: `the instance was not ready within ${Math.round(
            deadline / 1000,
          )} s`,
        });
        if (r.ok) {
          await runtime.teardown(row.id);
          act('stuck_deploy', {
            instanceId: row.id,
            namespace: ns?.metadata?.name,
          });
        }
      } else if (
        (row.state === 'RUNNING' || row.state === 'STOPPING') &&
        !ns &&
        age(now, row.updated_at) > grace
      ) {
        const r = await instances.transition(
          row.id,
          ['RUNNING', 'STOPPING'],
          'STOPPED',
          { reason: 'the instance namespace vanished' },
        );
        if (r.ok) act('orphan_row', { instanceId: row.id });
      } else if (
        row.state === 'RUNNING' &&
        Date.parse(row.expires_at) + grace < now.getTime()
      ) {
        const stopping = await instances.transition(
          row.id,
          ['RUNNING'],
          'STOPPING',
          { reason: 'expired (reconciler)' },
        );
        if (stopping.ok) {
          await runtime.teardown(row.id);
          await instances.transition(row.id, ['STOPPING'], 'EXPIRED', {
            reason: 'expired (reconciler)',
          });
          act('expired', { instanceId: row.id, namespace: ns?.metadata?.name });
        }
      }
    }

    const stillActive = (await instances.list(ACTIVE)).map(r => r.id);
    report.refreshed = await instances.refreshCache(stillActive);
    return report;
  }
}
