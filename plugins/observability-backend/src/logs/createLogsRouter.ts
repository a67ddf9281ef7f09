import express from 'express';
import Router from 'express-promise-router';
import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { kubeConfigFromConfig } from '../health/dependencyChecks';
import { KubernetesLogs, type PodLogOptions } from './KubernetesLogs';
import { LokiClient } from './LokiClient';
import { parseLogSearch } from './logSearch';
import { logsReadPermission } from './permissions';

/** Options of {@link createLogsRouter}. @public */
export type LogsRouterOptions = {
  config: RootConfigService;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Default: from `observability.loki`; none → `/loki` answers 404. */
  loki?: LokiClient;
  /**
   * Default: the cluster of `observability.kubernetes` (or of the worker's
   * `deploymentWorker.kubernetes` when it uses the Kubernetes driver); none →
   * `/workflows` and `/pods` answer 404.
   */
  kubernetes?: KubernetesLogs;
};

const MAX_TAIL_LINES = 5000;
const DEFAULT_TAIL_LINES = 500;
const MAX_SINCE_SECONDS = 7 * 24 * 3600;

function wholeNumber(
  query: Record<string, unknown>,
  name: string,
  max: number,
): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= max))
    throw new InputError(`${name} must be a whole number from 1 to ${max}`);
  return n;
}

function podLogOptions(query: Record<string, unknown>): PodLogOptions {
  return {
    tailLines:
      wholeNumber(query, 'tailLines', MAX_TAIL_LINES) ?? DEFAULT_TAIL_LINES,
    sinceSeconds: wholeNumber(query, 'sinceSeconds', MAX_SINCE_SECONDS),
  };
}

/** The Kubernetes log reader this deployment's config describes, if any. */
function kubernetesFromConfig(config: RootConfigService) {
  const kubeConfig = kubeConfigFromConfig(config);
  if (!kubeConfig) return undefined;
  return new KubernetesLogs(kubeConfig, {
    argoNamespace:
      config.getOptionalString('observability.kubernetes.argoNamespace') ??
      config.getOptionalString('deploymentWorker.kubernetes.argoNamespace'),
  });
}

/**
 * The log views' API, mounted by the observability plugin at `/logs`:
 *
 * - `GET /loki?team=&challenge=&namespace=&instance=&contains=&start=&end=&limit=&direction=&cursor=`
 *   → `{ query, items: [{ timestamp, line, labels }], nextCursor }` (see
 *   {@link parseLogSearch}; `query` is the LogQL searched, for Grafana links);
 * - `GET /workflows/:instanceId?tailLines=` → the step pod logs of the Argo
 *   workflow `start-<id>`;
 * - `GET /pods/:instanceId?tailLines=&sinceSeconds=` → the log of the
 *   challenge pod in `fs-<id>`, container `challenge`.
 *
 * Users need `flagstage.logs.read`; services (other Flagstage backends) pass.
 *
 * @public
 */
export function createLogsRouter(options: LogsRouterOptions): express.Router {
  const { config, logger, httpAuth, permissions } = options;
  const loki = options.loki ?? LokiClient.fromConfig(config);
  const kubernetes = options.kubernetes ?? kubernetesFromConfig(config);
  const router = Router();

  router.use(async (req, _res, next) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'user') {
      const [decision] = await permissions.authorize(
        [{ permission: logsReadPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW)
        throw new NotAllowedError(`Not allowed: ${logsReadPermission.name}`);
    }
    next();
  });

  router.get('/loki', async (req, res) => {
    if (!loki) throw new NotFoundError('no Loki configured');
    const search = parseLogSearch(req.query as Record<string, unknown>, {
      maxLimit: loki.maxLimit,
    });
    try {
      const page = await loki.search(search);
      res.json({ query: search.query, ...page });
    } catch (e) {
      if ((e as Error).name === 'ServiceUnavailableError')
        logger.warn(`Loki search failed: ${(e as Error).message}`);
      throw e;
    }
  });

  const cluster = () => {
    if (!kubernetes)
      throw new NotFoundError('no Kubernetes cluster configured');
    return kubernetes;
  };

  router.get('/workflows/:instanceId', async (req, res) => {
    const k8s = cluster();
    res.json(
      await k8s.workflowLogs(
        req.params.instanceId,
        podLogOptions(req.query as Record<string, unknown>),
      ),
    );
  });

  router.get('/pods/:instanceId', async (req, res) => {
    const k8s = cluster();
    res.json(
      await k8s.podLogs(
        req.params.instanceId,
        podLogOptions(req.query as Record<string, unknown>),
      ),
    );
  });

  return router;
}
