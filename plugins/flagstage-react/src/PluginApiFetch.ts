import { ResponseError } from '@backstage/errors';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';

/** A request to a plugin's backend: GET unless said, a JSON body when given. @public */
export type PluginRequestInit = { method?: string; body?: unknown };

/**
 * The fetch of the portal plugins' API clients: `/api/<pluginId>` with the
 * signed-in user's token (fetchApi). Non-2xx answers throw a ResponseError
 * carrying the backend's error.
 *
 * @public
 */
export class PluginApiFetch {
  constructor(
    private readonly pluginId: string,
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  /** The response of a 2xx answer. */
  async send(path: string, init: PluginRequestInit = {}): Promise<Response> {
    const base = await this.options.discoveryApi.getBaseUrl(this.pluginId);
    const response = await this.options.fetchApi.fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      ...(init.body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(init.body),
          }
        : {}),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }

  /** The JSON body of a 2xx answer. */
  async json<T>(path: string, init?: PluginRequestInit): Promise<T> {
    return (await (await this.send(path, init)).json()) as T;
  }

  /** The `items` of a 2xx list answer. */
  async items<T>(path: string): Promise<T[]> {
    return (await this.json<{ items: T[] }>(path)).items;
  }
}

/** `?a=1&b=x` of the defined, non-empty parameters; '' when there are none. @public */
export function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
