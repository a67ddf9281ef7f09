import { currentTraceparent } from '@flagstage/plugin-observability-node';
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DeploymentApiClient,
  type BuildClaim,
  type InstanceOutputLine,
  type InstanceRecord,
  type InstanceState,
  type TransitionResult,
  type WorkflowStatus,
} from '@flagstage/plugin-deployment-common';

export type { InstanceRecord };

/** Calls another plugin of the same deployment with this plugin's service credentials. */
export class PluginClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
    private readonly targetPluginId: string,
  ) {}

  /** A service token for the target plugin. */
  readonly token = async () => {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: this.targetPluginId,
    });
    return token;
  };

  /** The trace context of the work at hand, for each request. */
  readonly headers = (): Record<string, string> => {
    const traceparent = currentTraceparent();
    return traceparent ? { traceparent } : {};
  };

  /** The deployment API's typed client, with this plugin's credentials. */
  deploymentApi(): DeploymentApiClient {
    return new DeploymentApiClient({
      discoveryApi: this.discovery,
      getToken: this.token,
      headers: this.headers,
    });
  }

  async fetch(path: string) {
    const base = await this.discovery.getBaseUrl(this.targetPluginId);
    return fetch(`${base}${path}`, {
      headers: {
        authorization: `Bearer ${await this.token()}`,
        ...this.headers(),
      },
    });
  }
}

/** The deployment backend's internal API for the worker, in the worker's words. */
export class InstanceApi {
  private readonly api: DeploymentApiClient;

  constructor(client: PluginClient) {
    this.api = client.deploymentApi();
  }

  get(id: string): Promise<InstanceRecord> {
    return this.api.getInstanceRecord(id);
  }

  /** Compare-and-set; false when the instance had moved on (409). */
  transition(
    id: string,
    from: InstanceState[],
    to: InstanceState,
    options: { reason?: string; endpoint?: string | null } = {},
  ): Promise<TransitionResult> {
    return this.api.transitionInstance(id, { from, to, ...options });
  }

  /** Every instance in these states (paged through), for the reconciler. */
  list(states: InstanceState[]): Promise<InstanceRecord[]> {
    return this.api.listInstanceRecords(states);
  }

  /** Rewrites the deployment backend's cached views of these instances. */
  refreshCache(ids: string[]): Promise<number> {
    return this.api.refreshInstanceCache(ids);
  }

  /** Reports the start workflow's phase and node statuses (Kubernetes driver) for the portal. */
  workflow(id: string, status: WorkflowStatus): Promise<void> {
    return this.api.reportWorkflow(id, status);
  }

  /** Captured lines; the backend refuses a stream other than stdout, stderr or driver. */
  output(
    id: string,
    lines: { stream: string; line: string; at: string }[],
  ): Promise<void> {
    return this.api.appendOutput(id, lines as InstanceOutputLine[]);
  }
}

/** The deployment backend's build API for the worker. */
export class BuildApi {
  private readonly api: DeploymentApiClient;

  constructor(client: PluginClient) {
    this.api = client.deploymentApi();
  }

  /** QUEUED → RUNNING; returns the single-use callback token (once) and URL; undefined when claimed before or finished. */
  claim(id: string, workflow: string): Promise<BuildClaim | undefined> {
    return this.api.claimBuild(id, workflow);
  }

  fail(id: string, reason: string): Promise<void> {
    return this.api.failBuild(id, reason);
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
