import { currentTraceparent } from '@flagstage/plugin-observability-node';
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  InstanceState,
  WorkflowStatus,
} from '@flagstage/plugin-deployment-common';

/** The instance row as the deployment backend's internal API returns it. */
export type InstanceRecord = {
  id: string;
  contest_id: string;
  team_id: string;
  challenge_ref: string;
  challenge_name: string;
  state: InstanceState;
  protocol: 'http' | 'tcp';
  endpoint: string | null;
  expires_at: string;
  created_at?: string;
  updated_at?: string;
  traceparent: string | null;
};

/** Calls another plugin of the same deployment with this plugin's service credentials. */
export class PluginClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
    private readonly targetPluginId: string,
  ) {}

  async fetch(
    path: string,
    init: { method?: string; body?: unknown; traceparent?: string } = {},
  ) {
    const base = await this.discovery.getBaseUrl(this.targetPluginId);
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: this.targetPluginId,
    });
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
    };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const traceparent = init.traceparent ?? currentTraceparent();
    if (traceparent) headers.traceparent = traceparent;
    return fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }
}

/** The deployment backend's internal API for the worker. */
export class InstanceApi {
  constructor(private readonly client: PluginClient) {}

  async get(id: string): Promise<InstanceRecord> {
    const res = await this.client.fetch(
      `/internal/instances/${encodeURIComponent(id)}`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  /** Compare-and-set; false when the instance had moved on (409). */
  async transition(
    id: string,
    from: InstanceState[],
    to: InstanceState,
    options: { reason?: string; endpoint?: string | null } = {},
  ): Promise<{ ok: boolean; state: InstanceState }> {
    const res = await this.client.fetch(
      `/internal/instances/${encodeURIComponent(id)}/transition`,
      {
        method: 'POST',
        body: { from, to, ...options },
      },
    );
    if (res.status === 409)
      return { ok: false, state: (await res.json()).state };
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return { ok: true, state: (await res.json()).state };
  }

  /** Every instance in these states (paged through), for the reconciler. */
  async list(states: InstanceState[]): Promise<InstanceRecord[]> {
    const out: InstanceRecord[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ state: states.join(','), limit: '500' });
      if (cursor) q.set('cursor', cursor);
      const res = await this.client.fetch(`/internal/instances?${q}`);
      if (!res.ok) throw await ResponseError.fromResponse(res);
      const page = (await res.json()) as {
        items: InstanceRecord[];
        nextCursor: string | null;
      };
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Rewrites the deployment backend's cached views of these instances. */
  async refreshCache(ids: string[]): Promise<number> {
    let refreshed = 0;
    for (let i = 0; i < ids.length; i += 5000) {
      const res = await this.client.fetch('/internal/instances/cache', {
        method: 'POST',
        body: { ids: ids.slice(i, i + 5000) },
      });
      if (!res.ok) throw await ResponseError.fromResponse(res);
      refreshed += (await res.json()).refreshed;
    }
    return refreshed;
  }

  /** Reports the start workflow's phase and node statuses (Kubernetes driver) for the portal. */
  async workflow(id: string, status: WorkflowStatus): Promise<void> {
    const res = await this.client.fetch(
      `/internal/instances/${encodeURIComponent(id)}/workflow`,
      { method: 'POST', body: status },
    );
    // 409: older than the observation already stored; nothing to do.
    if (!res.ok && res.status !== 409)
      throw await ResponseError.fromResponse(res);
  }

  async output(
    id: string,
    lines: { stream: string; line: string; at: string }[],
  ) {
    const res = await this.client.fetch(
      `/internal/instances/${encodeURIComponent(id)}/output`,
      {
        method: 'POST',
        body: { lines },
      },
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
  }
}

/** The deployment backend's build API for the worker. */
export class BuildApi {
  constructor(private readonly client: PluginClient) {}

  /** QUEUED → RUNNING; returns the single-use callback token (once) and URL. */
  async claim(
    id: string,
    workflow: string,
  ): Promise<
    { token: string; callbackUrl: string; challengeRef: string } | undefined
  > {
    const res = await this.client.fetch(
      `/internal/builds/${encodeURIComponent(id)}/claim`,
      { method: 'POST', body: { workflow } },
    );
    if (res.status === 409) return undefined; // claimed before, or finished
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  async fail(id: string, reason: string): Promise<void> {
    const res = await this.client.fetch(
      `/internal/builds/${encodeURIComponent(id)}/fail`,
      { method: 'POST', body: { reason } },
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
  }
}

/** The contest plugin's runtime API: the environment (FLAG) of a team's instance. */
export class ContestRuntimeApi {
  constructor(private readonly client: PluginClient) {}

  async env(
    contestId: string,
    teamId: string,
    challengeRef: string,
  ): Promise<Record<string, string>> {
    const q = new URLSearchParams({ contestId, teamId, challengeRef });
    const res = await this.client.fetch(`/runtime/env?${q}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()).env ?? {};
  }
}
