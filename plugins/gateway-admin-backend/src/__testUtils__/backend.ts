import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleFlagstagePolicy from '@flagstage/plugin-permission-backend-module-flagstage-policy';
import type { TestDatabase } from '@flagstage/test-utils';
import { gatewayAdminPlugin } from '../plugin';

export const ADMIN = 'user:default/ada';
export const OPERATOR = 'user:default/olga';
export const AUTHOR = 'user:default/alan';
export const READER = 'user:default/rita';

const ownership: Record<string, string[]> = {
  [ADMIN]: [ADMIN, 'group:default/ctf-admins'],
  [OPERATOR]: [OPERATOR, 'group:default/ctf-operators'],
  [AUTHOR]: [AUTHOR, 'group:default/ctf-authors'],
  [READER]: [READER],
};

/** Ownership (user + groups) as the catalog would resolve it. */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: ownership[ref] ?? [ref],
      };
    },
  }),
});

/**
 * The gateway-admin plugin in a test backend with the real permission
 * backend and Flagstage policy, a real database, and `gatewayAdmin` config.
 */
export async function startGatewayAdmin(options: {
  db: TestDatabase;
  gatewayAdmin?: JsonObject;
  features?: any[];
}) {
  const { db } = options;
  const backend = await startTestBackend({
    features: [
      databaseServiceFactory,
      permissionsServiceFactory,
      userInfoFactory,
      // Requests without a token are unauthenticated, as in production.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: {
              ...db.config,
              ...(db.engine === 'postgres'
                ? { pluginDivisionMode: 'schema' }
                : {}),
            },
          },
          permission: { enabled: true },
          ...(options.gatewayAdmin
            ? { gatewayAdmin: options.gatewayAdmin }
            : {}),
        },
      }),
      ...(options.features ?? []),
      permissionPlugin,
      permissionModuleFlagstagePolicy,
      gatewayAdminPlugin,
    ],
  });
  const server = backend.server;
  const as = (user?: string) => {
    const auth = (r: request.Test) =>
      user ? r.set('Authorization', mockCredentials.user.header(user)) : r;
    return {
      get: (url: string) =>
        auth(request(server).get(`/api/gateway-admin${url}`)),
      put: (url: string, body?: object) =>
        auth(request(server).put(`/api/gateway-admin${url}`)).send(body),
      post: (url: string, body?: object) =>
        auth(request(server).post(`/api/gateway-admin${url}`)).send(body),
      delete: (url: string) =>
        auth(request(server).delete(`/api/gateway-admin${url}`)),
    };
  };
  return { server, as, stop: () => backend.stop() };
}

/** A valid token id (gatewayTokenId shape). */
export const TOKEN_ID = '0123456789abcdef0123456789abcdef';
