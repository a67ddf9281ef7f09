import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  embeddedGatewayConfig,
  startGateway,
  type Gateway,
} from '@flagstage/gateway';
import { gatewayInstanceRevocationsServiceRef } from '@flagstage/plugin-gateway-node';

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
        revocations: gatewayInstanceRevocationsServiceRef,
      },
      async init({ config, logger, lifecycle, revocations }) {
        const settings = embeddedGatewayConfig(config);
        if (!settings) return;
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
          // Stopped instances, also without Redis (same process).
          revocations.onInstanceStopped((iid, untilMs) =>
            gateway?.access.instanceStopped(iid, untilMs),
          );
        });
        lifecycle.addShutdownHook(async () => {
          await gateway?.stop();
        });
      },
    });
  },
});
