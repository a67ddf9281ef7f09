import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleFlagstagePolicy from '@flagstage/plugin-permission-backend-module-flagstage-policy';
import Router from 'express-promise-router';
import { createLogsRouter } from '../createLogsRouter';

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

/** A root logger that keeps every line, so tests can search them (for the token). */
export function capturingLogger(lines: string[] = []): LoggerService & {
  lines: string[];
} {
  const make = (fields: object): LoggerService & { lines: string[] } => {
    const log = (level: string) => (message: string, meta?: Error | object) => {
      lines.push(
        JSON.stringify({
          level,
          message,
          ...fields,
          ...(meta instanceof Error
            ? { error: String(meta), stack: meta.stack }
            : meta),
        }),
      );
    };
    return {
      lines,
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: (more: object) => make({ ...fields, ...more }),
    };
  };
  return make({});
}

/**
 * The logs router in a test backend as the observability plugin will mount
 * it (`/api/observability/logs`), with the real permission backend and the
 * Flagstage policy, ownership resolved from a fixed table (what the catalog
 * would answer), and a capturing logger.
 */
export async function startLogsTestBackend(config: object) {
  const log = capturingLogger();
  const testPlugin = createBackendPlugin({
    pluginId: 'observability',
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          httpRouter: coreServices.httpRouter,
        },
        async init({ httpRouter, ...deps }) {
          const router = Router();
          router.use('/logs', createLogsRouter(deps));
          httpRouter.use(router);
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      permissionsServiceFactory,
      createServiceFactory({
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
      }),
      // Requests without a token are unauthenticated, as in production.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => log,
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          permission: { enabled: true },
          ...config,
        },
      }),
      permissionPlugin,
      permissionModuleFlagstagePolicy,
      testPlugin,
    ],
  });
  return { server: backend.server, stop: () => backend.stop(), log };
}
