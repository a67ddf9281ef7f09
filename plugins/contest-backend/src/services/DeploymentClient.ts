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
import {
  DeploymentApiClient,
  type InstanceView,
} from '@flagstage/plugin-deployment-common';

/** An instance as the deployment plugin returns it, with access links (this plugin acts for the team). */
export type ContestantInstance = InstanceView;

/** Thrown when the deployment queue pushes back (503 + Retry-After). */
export class DeploymentBusyError extends Error {
  name = 'DeploymentBusyError';
  constructor(readonly retryAfterSeconds: number, message: string) {
    super(message);
  }
}

/**
 * A refusal the contestant can act on keeps the deployment API's sentence
 * and status; a full queue becomes DeploymentBusyError; anything else stays
 * a server-side error.
 */
function contestantError(e: unknown): unknown {
  if (!(e instanceof ResponseError)) return e;
  const message = e.body?.error?.message;
  if (e.statusCode === 503)
    return new DeploymentBusyError(
      Number(e.response.headers.get('retry-after') ?? 5),
      message ?? 'Instances are busy; try again shortly',
    );
  if (message && e.statusCode === 409) return new ConflictError(message);
  if (message && e.statusCode === 404) return new NotFoundError(message);
  if (message && e.statusCode === 400) return new InputError(message);
  return e;
}

/**
 * Calls the deployment plugin (the shared DeploymentApiClient) with the
 * contest plugin's service credentials, on behalf of a contestant this
 * plugin has authenticated (and whose team and challenge it has checked).
 */
export class DeploymentClient {
  private readonly api: DeploymentApiClient;

  constructor(discovery: DiscoveryService, auth: AuthService) {
    this.api = new DeploymentApiClient({
      discoveryApi: discovery,
      getToken: async () =>
        (
          await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'deployment',
          })
        ).token,
      // The contestant's request trace continues into the deployment.
      headers: (): Record<string, string> => {
        const traceparent = currentTraceparent();
        return traceparent ? { traceparent } : {};
      },
    });
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      throw contestantError(e);
    }
  }

  async active(
    contestId: string,
    teamId: string,
    challengeRef: string,
  ): Promise<ContestantInstance | undefined> {
    const instance = await this.call(() =>
      this.api.activeInstance(contestId, teamId, challengeRef),
    );
    return instance ?? undefined;
  }

  start(
    contestId: string,
    teamId: string,
    challengeRef: string,
    contestantId: string,
  ): Promise<ContestantInstance> {
    return this.call(() =>
      this.api.startInstance({
        contestId,
        teamId,
        challengeRef,
        requestedBy: `contestant:${contestantId}`,
      }),
    );
  }

  stop(instanceId: string): Promise<ContestantInstance> {
    return this.call(() => this.api.stopInstance(instanceId));
  }

  extend(instanceId: string): Promise<ContestantInstance> {
    return this.call(() => this.api.extendInstance(instanceId));
  }
}
