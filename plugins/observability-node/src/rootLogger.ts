import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { WinstonLogger } from '@backstage/backend-defaults/rootLogger';
import { createConfigSecretEnumerator } from '@backstage/backend-defaults/rootConfig';
import {
  format,
  transports as winstonTransports,
  type transport,
} from 'winston';
import { flagstageLogFormat } from './logFormat';
import { setServiceMeta } from './serviceMeta';
import { startTracing } from './tracing';

/** Options of {@link flagstageRootLoggerServiceFactory}. @public */
export type FlagstageRootLoggerOptions = {
  /** `backend`, `worker`, … (the `service` field of every line). */
  service: string;
  version: string;
  /** Where lines go. Default: the console (stdout). Tests pass a capturing transport. */
  transports?: transport[];
};

/**
 * The root logger of every Flagstage backend process: JSON lines in
 * Flagstage's shape (see flagstageLogFormat) in every environment
 * (`FLAGSTAGE_LOG_FORMAT=pretty` for colours in development), secret config
 * values redacted wherever they appear (Backstage's redacter) and
 * secret-named fields redacted by name.
 *
 * @public
 */
export function flagstageRootLoggerServiceFactory(
  options: FlagstageRootLoggerOptions,
) {
  setServiceMeta({ service: options.service, version: options.version });
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: { config: coreServices.rootConfig },
    async factory({ config }) {
      const pretty = process.env.FLAGSTAGE_LOG_FORMAT === 'pretty';
      const logger = WinstonLogger.create({
        meta: {},
        level:
          process.env.LOG_LEVEL ??
          config.getOptionalString('backend.logger.level') ??
          'info',
        format: pretty
          ? format.combine(
              flagstageLogFormat(options),
              WinstonLogger.colorFormat(),
            )
          : flagstageLogFormat(options),
        transports: options.transports ?? [new winstonTransports.Console()],
      });
      // Spans (HTTP requests, jobs, Backstage's own) go to an OpenTelemetry
      // collector when one is configured, here or as any OpenTelemetry SDK is.
      startTracing({
        service: options.service,
        version: options.version,
        endpoint:
          config.getOptionalString('observability.otlp.endpoint') ??
          process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
      });
      const secrets = await createConfigSecretEnumerator({ logger });
      logger.addRedactions(secrets(config));
      config.subscribe?.(() => logger.addRedactions(secrets(config)));
      return logger;
    },
  });
}
