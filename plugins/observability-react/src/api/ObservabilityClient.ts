import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { PluginApiFetch, queryString } from '@flagstage/plugin-flagstage-react';
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
  private readonly http: PluginApiFetch;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.http = new PluginApiFetch('observability', options);
  }

  private get<T>(
    path: string,
    params: Record<string, string | number | undefined>,
  ): Promise<T> {
    return this.http.json<T>(`/logs${path}${queryString(params)}`);
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
