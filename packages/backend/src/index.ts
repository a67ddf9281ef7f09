/*
 * The Flagstage portal backend: Backstage core plugins plus Flagstage's own.
 * Embedded defaults (app-config.yaml) use SQLite and the in-memory cache;
 * app-config.production.yaml switches to PostgreSQL and Redis.
 */
// First: tracing must be running before Backstage and the plugins load.
import { version } from './instrumentation';
import { createBackend } from '@backstage/backend-defaults';
import {
  flagstageRootHttpRouterServiceFactory,
  flagstageRootLoggerServiceFactory,
} from '@flagstage/plugin-observability-node';
import { observabilityModuleJobQueue } from '@flagstage/plugin-deployment-node';
import { embeddedGatewayPlugin } from './embeddedGateway';
import { playFrontendPlugin } from './playFrontend';

const backend = createBackend();

// Observability: JSON log lines with trace ids and redaction, the W3C trace
// context and HTTP metrics on every request, /healthz and /readyz at the
// root, /metrics and /health on the internal listener (observability.internal).
backend.add(flagstageRootLoggerServiceFactory({ service: 'backend', version }));
backend.add(flagstageRootHttpRouterServiceFactory({ service: 'backend' }));
backend.add(import('@flagstage/plugin-observability-backend'));
// The deployment job queue's depth in /health.
backend.add(observabilityModuleJobQueue);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Scaffolder: challenge authors start new challenge packages from templates.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

backend.add(import('@backstage/plugin-techdocs-backend'));

// Auth: guest in development (a ctf-admins member, see app-config.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog, with the Challenge entity kind.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@flagstage/plugin-catalog-backend-module-challenges'));
// Lists entities that failed processing (e.g. an invalid Challenge) with their errors.
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));

// Contests: contestants, teams, flags, submissions, scoring, scoreboards.
backend.add(import('@flagstage/plugin-contest-backend'));

// Gateway admin: limits and revocations for the Challenge Gateway, published
// through Redis when gatewayAdmin.redis.url is set; live connections.
backend.add(import('@flagstage/plugin-gateway-admin-backend'));

// Instances: the instance API and state (deployment) and, in the embedded
// default, the worker that runs them as local child processes. In production
// the worker runs in its own image (packages/worker).
backend.add(import('@flagstage/plugin-deployment-backend'));
backend.add(import('@flagstage/plugin-deployment-worker'));
// Development: the Challenge Gateway in this process (gateway.embedded).
backend.add(embeddedGatewayPlugin);
// The contestant app (packages/play) under /play.
backend.add(playFrontendPlugin);

// Events: lets plugins (catalog, signals, later Flagstage's own) exchange events.
backend.add(import('@backstage/plugin-events-backend'));

// Permissions: Flagstage roles (ctf-admins, ctf-authors, ctf-operators).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@flagstage/plugin-permission-backend-module-flagstage-policy'),
);

// Search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// Kubernetes: operators watch challenge instances (label flagstage.io/challenge).
backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
