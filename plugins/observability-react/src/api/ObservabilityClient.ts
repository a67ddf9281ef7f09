import { ResponseError } from '@backstage/errors';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import type {
  LogSearchQuery,
  LogSearchResult,
  ObservabilityApi,
  PodLogOptions,
  PodLogs,
  WorkflowLogs,
} from './ObservabilityApi';

/**
 * Talks to `/api/observability/logs` with the signed-in user's token
 * (fetchApi). Non-2xx answers throw a ResponseError carrying the backend's
 * error (its message says what was wrong: a bad filter, Loki down, no
 * cluster configured).
 *
 * @public
 */
export class ObservabilityClient implements ObservabilityApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async get<T>(
    path: string,
    params: Record<string, string | number | undefined>,
  ): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('observability');
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== '') query.set(key, String(value));
    }
    const qs = query.toString();
    const response = await this.options.fetchApi.fetch(
      `${base}/logs${path}${qs ? `?${qs}` : ''}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  searchLogs(query: LogSearchQuery) {
    const { team, challenge, namespace, instance, contains } = query;
    return this.get<LogSearchResult>('/loki', {
      team: team?.trim(),
      challenge: challenge?.trim(),
      namespace: namespace?.trim(),
      instance: instance?.trim(),
      contains,
      start: query.start,
      end: query.end,
      limit: query.limit,
      direction: query.direction,
      cursor: query.cursor,
    });
  }

  getWorkflowLogs(instanceId: string, options: PodLogOptions = {}) {
    return this.get<WorkflowLogs>(
      `/workflows/${encodeURIComponent(instanceId)}`,
      { tailLines: options.tailLines },
    );
  }

  getPodLogs(instanceId: string, options: PodLogOptions = {}) {
    return this.get<PodLogs>(`/pods/${encodeURIComponent(instanceId)}`, {
      tailLines: options.tailLines,
      sinceSeconds: options.sinceSeconds,
    });
  }
}
