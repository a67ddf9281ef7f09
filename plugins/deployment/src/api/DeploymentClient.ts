import { ResponseError } from '@backstage/errors';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import type {
  BuildView,
  DeploymentApi,
  InstanceFilter,
  InstancePage,
  InstanceOutputLine,
  InstanceTransition,
  InstanceView,
  QueueSummary,
  WorkflowStatus,
} from './DeploymentApi';

/**
 * Talks to `/api/deployment` with the signed-in user's token (fetchApi).
 * Non-2xx answers throw a ResponseError carrying the backend's error.
 *
 * @public
 */
export class DeploymentClient implements DeploymentApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async request<T>(
    path: string,
    method = 'GET',
    body?: unknown,
  ): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('deployment');
    const response = await this.options.fetchApi.fetch(
      `${base}${path}`,
      body === undefined
        ? { method }
        : {
            method,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  private instancePath(id: string, rest = '') {
    return `/instances/${encodeURIComponent(id)}${rest}`;
  }

  listInstances(filter: InstanceFilter = {}) {
    const query = new URLSearchParams();
    const contestId = filter.contestId?.trim();
    const teamId = filter.teamId?.trim();
    const challengeRef = filter.challengeRef?.trim();
    if (contestId) query.set('contestId', contestId);
    if (teamId) query.set('teamId', teamId);
    if (challengeRef) query.set('challengeRef', challengeRef);
    if (filter.states?.length) query.set('state', filter.states.join(','));
    if (filter.limit) query.set('limit', String(filter.limit));
    if (filter.cursor) query.set('cursor', filter.cursor);
    const qs = query.toString();
    return this.request<InstancePage>(`/instances${qs ? `?${qs}` : ''}`);
  }

  getInstance(id: string) {
    return this.request<InstanceView>(this.instancePath(id));
  }

  stopInstance(id: string) {
    return this.request<InstanceView>(this.instancePath(id, '/stop'), 'POST');
  }

  extendInstance(id: string) {
    return this.request<InstanceView>(this.instancePath(id, '/extend'), 'POST');
  }

  getTransitions(id: string) {
    return this.request<{ items: InstanceTransition[] }>(
      this.instancePath(id, '/transitions'),
    );
  }

  getOutput(id: string, tail = 200) {
    return this.request<{ items: InstanceOutputLine[] }>(
      this.instancePath(id, `/output?tail=${tail}`),
    );
  }

  getWorkflow(id: string) {
    return this.request<{ workflow: WorkflowStatus | null }>(
      this.instancePath(id, '/workflow'),
    );
  }

  getQueue() {
    return this.request<QueueSummary>('/queue');
  }

  listBuilds(challengeRef: string) {
    const query = new URLSearchParams({ challengeRef });
    return this.request<{ items: BuildView[] }>(`/builds?${query}`);
  }

  startBuild(challengeRef: string) {
    return this.request<BuildView>('/builds', 'POST', { challengeRef });
  }
}
