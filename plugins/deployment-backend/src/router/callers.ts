import type express from 'express';
import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import { NotAllowedError } from '@backstage/errors';
import type { DeploymentConfig } from '../config';

/** Which route group a call is for: each admits its own service principals. */
export type RouteGroup = keyof DeploymentConfig['serviceCallers'];

/**
 * Who may call the deployment API, per route: users with the route's
 * permission, and only the service principals (`plugin:<id>`, or
 * `external:<subject>` of a static token) listed for its group — another
 * plugin's credentials do not start or stop a team's instances.
 */
export class Callers {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
    private readonly allowed: DeploymentConfig['serviceCallers'],
  ) {}

  /** A user with `permission`, or a service of `group`. Returns the caller's ref. */
  async userOrService(
    req: express.Request,
    permission: BasicPermission,
    group: RouteGroup,
  ): Promise<{ ref: string; service: boolean }> {
    const credentials: BackstageCredentials = await this.httpAuth.credentials(
      req,
      { allow: ['user', 'service'] },
    );
    const p = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    if (p.type === 'service')
      return { ref: this.admitted(p.subject, group), service: true };
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW)
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    return { ref: p.userEntityRef ?? 'user', service: false };
  }

  /** A service of `group` only. Returns its subject. */
  async service(req: express.Request, group: RouteGroup): Promise<string> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['service'],
    });
    return this.admitted(credentials.principal.subject, group);
  }

  private admitted(subject: string | undefined, group: RouteGroup): string {
    if (!subject || !this.allowed[group].includes(subject))
      throw new NotAllowedError(
        `${
          subject ?? 'This service'
        } may not call the deployment ${group} routes`,
      );
    return subject;
  }
}
