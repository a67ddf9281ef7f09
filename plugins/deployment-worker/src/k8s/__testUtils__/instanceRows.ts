import type { InstanceState } from '@flagstage/plugin-deployment-common';
import type { InstanceRecord } from '../../services/clients';
import type { ReconcilerInstances } from '../Reconciler';

/**
 * The deployment backend's instance rows with its compare-and-set
 * transitions, in memory: what the pod listener and the reconciler call.
 */
export class InstanceRows implements ReconcilerInstances {
  rows = new Map<string, InstanceRecord>();
  refreshed: string[] = [];

  add(id: string, state: InstanceState, ageMs: number, expiresInMs = 3600_000) {
    const at = new Date(Date.now() - ageMs).toISOString();
    this.rows.set(id, {
      id,
      contest_id: 'c1',
      team_id: `t-${id}`,
      challenge_ref: 'challenge:default/web',
      challenge_name: 'web',
      state,
      protocol: 'http',
      endpoint: null,
      expires_at: new Date(Date.now() + expiresInMs).toISOString(),
      created_at: at,
      updated_at: at,
      traceparent: null,
    });
  }
  state(id: string) {
    return this.rows.get(id)?.state;
  }
  async list(states: InstanceState[]) {
    return [...this.rows.values()].filter(r => states.includes(r.state));
  }
  async transition(id: string, from: InstanceState[], to: InstanceState) {
    const row = this.rows.get(id)!;
    if (!from.includes(row.state)) return { ok: false, state: row.state };
    row.state = to;
    row.updated_at = new Date().toISOString();
    return { ok: true, state: to };
  }
  async workflow() {}
  async refreshCache(ids: string[]) {
    this.refreshed = ids;
    return ids.length;
  }
}
