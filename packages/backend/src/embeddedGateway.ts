import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { configFromEnv, startGateway, type Gateway } from '@flagstage/gateway';

/**
 * Development only: runs the Challenge Gateway inside the portal backend when
 * `gateway.embedded.enabled` is true, with the signing keys of
 * `deployment.gateway.keys`, so `yarn start` serves instances end to end on
 * one machine. Production runs the gateway image (packages/gateway).
 */
export const embeddedGatewayPlugin = createBackendPlugin({
  pluginId: 'gateway-embedded',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const embedded = config.getOptionalConfig('gateway.embedded');
        if (!embedded?.getOptionalBoolean('enabled')) return;
        const keys = (
          config.getOptionalConfigArray('deployment.gateway.keys') ?? []
        )
          .map(k => `${k.getString('kid')}:${k.getString('secret')}`)
          .join(',');
        const settings = configFromEnv({
          GATEWAY_KEYS: keys,
          GATEWAY_HTTP_HOST: '127.0.0.1',
          GATEWAY_HTTP_PORT: String(
            embedded.getOptionalNumber('httpPort') ?? 8080,
          ),
          GATEWAY_TCP_HOST: '127.0.0.1',
          GATEWAY_TCP_PORT: String(
            embedded.getOptionalNumber('tcpPort') ?? 8081,
          ),
          GATEWAY_ADMIN_HOST: '127.0.0.1',
          GATEWAY_ADMIN_PORT: String(
            embedded.getOptionalNumber('adminPort') ?? 9091,
          ),
          GATEWAY_DOMAIN:
            embedded.getOptionalString('domain') ?? 'gateway.localhost',
          GATEWAY_REPLICA: 'embedded',
          // Follow gateway-admin's limits and revocations when it publishes to Redis.
          GATEWAY_REDIS_URL:
            config.getOptionalString('gatewayAdmin.redis.url') ?? '',
          GATEWAY_REDIS_KEY_PREFIX:
            config.getOptionalString('gatewayAdmin.redis.keyPrefix') ?? '',
          GATEWAY_DRAIN_SECONDS: '1',
        });
        let gateway: Gateway | undefined;
        lifecycle.addStartupHook(async () => {
          gateway = await startGateway(settings, {
            logWrite: text => {
              for (const line of text.split('\n')) {
                if (!line) continue;
                // The gateway's own line, re-emitted through the backend's
                // logger (same shape; its traceId wins over the context's).
                const {
                  message,
                  level: _level,
                  timestamp: _timestamp,
                  service: _service,
                  version: _version,
                  ...fields
                } = JSON.parse(line);
                logger.info(`gateway ${message}`, {
                  component: 'gateway',
                  ...fields,
                });
              }
            },
            defaultMetrics: false,
          });
        });
        lifecycle.addShutdownHook(async () => {
          await gateway?.stop();
        });
      },
    });
  },
});
