import { ResponseError } from '@backstage/errors';
import type { InstanceState } from '../instanceStates';
import type {
  InstancePage,
  InstanceView,
  WorkflowStatus,
} from '../instanceView';
import type { BuildView } from '../builds';
import type {
  BuildClaim,
  InstanceFilter,
  InstanceOutputLine,
  InstanceRecord,
  InstanceTransition,
  QueueSummary,
  StartInstanceRequest,
  TransitionRequest,
  TransitionResult,
} from './types';

/**
 * How a {@link DeploymentApiClient} reaches the deployment API: the portal
 * passes its discovery and fetch APIs (fetchApi adds the user's token); a
 * backend passes its discovery service and a service-token getter.
 *
 * @public
 */
export type DeploymentApiClientOptions = {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  /** Defaults to the global fetch. */
  fetchApi?: { fetch: typeof fetch };
  /** A bearer token for each request (a backend's service token). */
  getToken?: () => Promise<string>;
  /** More headers for each request (a backend's trace context). */
  headers?: () => Record<string, string>;
};

type Init = { method?: string; body?: unknown };

const path = (id: string, rest = '') =>
  `/instances/${encodeURIComponent(id)}${rest}`;
const internal = (kind: 'instances' | 'builds', id: string, rest: string) =>
  `/internal/${kind}/${encodeURIComponent(id)}${rest}`;

/**
 * The one typed client of the deployment API (`/api/deployment`), for the
 * portal, the contest backend and the worker. Isomorphic (fetch only).
 * Non-2xx answers throw a ResponseError carrying the backend's error, but
 * where a status is part of the contract (a lost compare-and-set, a build
 * already claimed) the method returns it.
 *
 * @public
 */
export class DeploymentApiClient {
  constructor(private readonly options: DeploymentApiClientOptions) {}

  /** The raw answer, whatever its status. */
  private async fetch(route: string, init: Init = {}): Promise<Response> {
    const base = await this.options.discoveryApi.getBaseUrl('deployment');
    const headers: Record<string, string> = {
      ...(init.body === undefined
        ? {}
        : { 'Content-Type': 'application/json' }),
      ...(this.options.getToken
        ? { Authorization: `Bearer ${await this.options.getToken()}` }
        : {}),
      ...this.options.headers?.(),
    };
    const fetchApi = this.options.fetchApi ?? { fetch: globalThis.fetch };
    return fetchApi.fetch(`${base}${route}`, {
      method: init.method ?? 'GET',
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  }

  private async ok(route: string, init?: Init): Promise<Response> {
    const response = await this.fetch(route, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }

  private async json<T>(route: string, init?: Init): Promise<T> {
    return (await (await this.ok(route, init)).json()) as T;
  }

  // ---- instances (staff, and services acting for a team) ------------------

  listInstances(filter: InstanceFilter = {}): Promise<InstancePage> {
    const query = new URLSearchParams();
    const set = (key: string, value: string | undefined) => {
      if (value) query.set(key, value);
    };
    set('contestId', filter.contestId?.trim());
    set('teamId', filter.teamId?.trim());
    set('challengeRef', filter.challengeRef?.trim());
    set('state', filter.states?.join(','));
    set('limit', filter.limit ? String(filter.limit) : undefined);
    set('cursor', filter.cursor);
    const qs = query.toString();
    return this.json(`/instances${qs ? `?${qs}` : ''}`);
  }

  /** `access: true` asks for the access links (services acting for the team only). */
  getInstance(id: string, options?: { access?: boolean }) {
    return this.json<InstanceView>(
      path(id, options?.access ? '?access=true' : ''),
    );
  }

  /** 202, REQUESTED. 503 with Retry-After when the queue is full. */
  startInstance(request: StartInstanceRequest) {
    return this.json<InstanceView>('/instances', {
      method: 'POST',
      body: request,
    });
  }

  /** The team's active instance of a challenge, or null (services only). */
  async activeInstance(
    contestId: string,
    teamId: string,
    challengeRef: string,
  ): Promise<InstanceView | null> {
    const q = new URLSearchParams({ contestId, teamId, challengeRef });
    const answer = await this.json<{ instance: InstanceView | null }>(
      `/active?${q}`,
    );
    return answer.instance ?? null;
  }

  stopInstance(id: string) {
    return this.json<InstanceView>(path(id, '/stop'), { method: 'POST' });
  }

  extendInstance(id: string) {
    return this.json<InstanceView>(path(id, '/extend'), { method: 'POST' });
  }

  getTransitions(id: string) {
    return this.json<{ items: InstanceTransition[] }>(path(id, '/transitions'));
  }

  getOutput(id: string, tail = 200) {
    return this.json<{ items: InstanceOutputLine[] }>(
      path(id, `/output?tail=${tail}`),
    );
  }

  /** The start workflow (Kubernetes driver); null with the local driver or before the first report. */
  getWorkflow(id: string) {
    return this.json<{ workflow: WorkflowStatus | null }>(
      path(id, '/workflow'),
    );
  }

  getQueue() {
    return this.json<QueueSummary>('/queue');
  }

  // ---- builds ---------------------------------------------------------------

  /** A challenge's image builds, newest first (at most 20). */
  listBuilds(challengeRef: string) {
    const query = new URLSearchParams({ challengeRef });
    return this.json<{ items: BuildView[] }>(`/builds?${query}`);
  }

  /** 202, QUEUED; 409 while one is QUEUED or RUNNING; 400 without `spec.runtime.build`. */
  startBuild(challengeRef: string) {
    return this.json<BuildView>('/builds', {
      method: 'POST',
      body: { challengeRef },
    });
  }

  // ---- for the worker (`/internal`, service credentials) -------------------

  getInstanceRecord(id: string) {
    return this.json<InstanceRecord>(internal('instances', id, ''));
  }

  /** Every instance in these states (paged through), for the reconciler. */
  async listInstanceRecords(
    states: InstanceState[],
  ): Promise<InstanceRecord[]> {
    const out: InstanceRecord[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ state: states.join(','), limit: '500' });
      if (cursor) q.set('cursor', cursor);
      const page: { items: InstanceRecord[]; nextCursor: string | null } =
        await this.json(`/internal/instances?${q}`);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Compare-and-set; `ok: false` when the instance had moved on (409). */
  async transitionInstance(
    id: string,
    request: TransitionRequest,
  ): Promise<TransitionResult> {
    const route = internal('instances', id, '/transition');
    const response = await this.fetch(route, { method: 'POST', body: request });
    if (response.status === 409)
      return { ok: false, state: (await response.json()).state };
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return { ok: true, state: (await response.json()).state };
  }

  /** Rewrites the cached views of these instances from their rows. */
  async refreshInstanceCache(ids: string[]): Promise<number> {
    let refreshed = 0;
    for (let i = 0; i < ids.length; i += 5000) {
      const answer = await this.json<{ refreshed: number }>(
        '/internal/instances/cache',
        { method: 'POST', body: { ids: ids.slice(i, i + 5000) } },
      );
      refreshed += answer.refreshed;
    }
    return refreshed;
  }

  /** Reports the start workflow's status; one older than the stored one is ignored (409). */
  async reportWorkflow(id: string, status: WorkflowStatus): Promise<void> {
    const route = internal('instances', id, '/workflow');
    const response = await this.fetch(route, { method: 'POST', body: status });
    if (!response.ok && response.status !== 409)
      throw await ResponseError.fromResponse(response);
  }

  async appendOutput(id: string, lines: InstanceOutputLine[]): Promise<void> {
    await this.ok(internal('instances', id, '/output'), {
      method: 'POST',
      body: { lines },
    });
  }

  /** QUEUED → RUNNING; the callback token (once), or undefined when claimed before or finished (409). */
  async claimBuild(
    id: string,
    workflow: string,
  ): Promise<BuildClaim | undefined> {
    const route = internal('builds', id, '/claim');
    const response = await this.fetch(route, {
      method: 'POST',
      body: { workflow },
    });
    if (response.status === 409) return undefined;
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  async failBuild(id: string, reason: string): Promise<void> {
    await this.ok(internal('builds', id, '/fail'), {
      method: 'POST',
      body: { reason },
    });
  }
}
