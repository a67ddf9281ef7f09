import { currentTraceparent } from '@flagstage/plugin-observability-node';
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';

/** The part of an instance a contestant sees (from the deployment plugin). */
export type ContestantInstance = Record<string, unknown> & {
  id: string;
  state: string;
};

function traceHeader(): Record<string, string> {
  const traceparent = currentTraceparent();
  return traceparent ? { traceparent } : {};
}

/** Thrown when the deployment queue pushes back (503 + Retry-After). */
export class DeploymentBusyError extends Error {
  name = 'DeploymentBusyError';
  constructor(readonly retryAfterSeconds: number, message: string) {
    super(message);
  }
}

/**
 * Calls the deployment plugin with the contest plugin's service credentials,
 * on behalf of a contestant this plugin has authenticated (and whose team and
 * challenge it has checked).
 */
export class DeploymentClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  private async call(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ) {
    const base = await this.discovery.getBaseUrl('deployment');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'deployment',
    });
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        // The contestant's request trace continues into the deployment.
        ...traceHeader(),
        ...(init.body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (res.status === 503) {
      const body = await res.json().catch(() => ({}));
      throw new DeploymentBusyError(
        Number(res.headers.get('retry-after') ?? 5),
        body?.error?.message ?? 'Instances are busy; try again shortly',
      );
    }
    if (!res.ok) {
      // A refusal the contestant can act on keeps the deployment API's
      // sentence and status; anything else stays a server-side error.
      const error = await ResponseError.fromResponse(res);
      const message = error.body?.error?.message;
      if (message && res.status === 409) throw new ConflictError(message);
      if (message && res.status === 404) throw new NotFoundError(message);
      if (message && res.status === 400) throw new InputError(message);
      throw error;
    }
    return res.json();
  }

  async active(
    contestId: string,
    teamId: string,
    challengeRef: string,
  ): Promise<ContestantInstance | undefined> {
    const q = new URLSearchParams({ contestId, teamId, challengeRef });
    return (await this.call(`/active?${q}`)).instance ?? undefined;
  }

  async start(
    contestId: string,
    teamId: string,
    challengeRef: string,
    contestantId: string,
  ): Promise<ContestantInstance> {
    return this.call('/instances', {
      method: 'POST',
      body: {
        contestId,
        teamId,
        challengeRef,
        requestedBy: `contestant:${contestantId}`,
      },
    });
  }

  async stop(instanceId: string): Promise<ContestantInstance> {
    return this.call(`/instances/${encodeURIComponent(instanceId)}/stop`, {
      method: 'POST',
    });
  }

  async extend(instanceId: string): Promise<ContestantInstance> {
    return this.call(`/instances/${encodeURIComponent(instanceId)}/extend`, {
      method: 'POST',
    });
  }
}
