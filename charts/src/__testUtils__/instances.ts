import type {
  InstanceState,
  RuntimeStartRequest,
} from '@flagstage/plugin-deployment-common';

/** The deployment backend's instance rows with compare-and-set transitions, in memory. */
export class InstanceRows {
  readonly rows = new Map<string, Record<string, any>>();

  add(id: string, state: InstanceState, ageMs = 10_000) {
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
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      created_at: at,
      updated_at: at,
      traceparent: null,
    });
  }

  state(id: string) {
    return this.rows.get(id)?.state;
  }

  async list(states: InstanceState[]) {
    return [...this.rows.values()].filter(r =>
      states.includes(r.state),
    ) as any[];
  }

  async transition(id: string, from: InstanceState[], to: InstanceState) {
    const row = this.rows.get(id);
    if (!row || !from.includes(row.state))
      return { ok: false, state: row?.state };
    row.state = to;
    row.updated_at = new Date().toISOString();
    return { ok: true, state: to };
  }

  async workflow() {}

  async refreshCache(ids: string[]) {
    return ids.length;
  }
}

/** A start request for instance `id` (an http challenge). */
export const startRequest = (id: string): RuntimeStartRequest => ({
  instanceId: id,
  contestId: 'c1',
  teamId: `t-${id}`,
  challengeRef: 'challenge:default/web',
  challengeName: 'web',
  runtime: { protocol: 'http', port: 8080, image: 'registry.example/web:1' },
  env: { FLAG: `flagstage{${id}}` },
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
});

/** Polls until `done` holds (10 s at most). */
export async function waitFor(done: () => boolean, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise(r => setTimeout(r, 20));
  }
}
