import pino, { type DestinationStream, type Logger } from 'pino';

/** One line per HTTP request or per connection. Never the token. */
export type AccessLogEntry = {
  proto: 'http' | 'ws' | 'tcp' | 'ws-tcp';
  conn: string;
  clientIp: string;
  host?: string;
  route?: string;
  method?: string;
  teamId?: string;
  /** The challenge's short name (the token carries no entity ref). */
  challengeName?: string;
  instanceId?: string;
  /** Trace id of the request that started the instance (from the token). */
  traceId?: string;
  tokenId?: string;
  status?: number;
  reason?: string;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
};

/**
 * The gateway's JSON log lines, written by pino in Flagstage's shape (as the
 * backend's): `timestamp`, `level` (label), `message`, `service`, `version`,
 * then the fields. On stdout the destination is asynchronous, so logging
 * stays off the per-request cost; pino flushes it when the process exits,
 * and {@link AccessLog.flush} on shutdown. With `write` (tests, the
 * embedded gateway) each line is handed over as it is logged.
 */
export class AccessLog {
  private readonly logger: Logger;

  constructor(
    write?: (text: string) => void,
    version: string = process.env.FLAGSTAGE_VERSION ?? '0.0.0',
  ) {
    const destination: DestinationStream = write
      ? { write }
      : pino.destination({ dest: 1, sync: false });
    this.logger = pino(
      {
        messageKey: 'message',
        base: { service: 'gateway', version },
        timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
        formatters: { level: label => ({ level: label }) },
      },
      destination,
    );
  }

  log(entry: AccessLogEntry) {
    this.logger.info(entry, 'access');
  }

  /** Operational messages (start, Redis state, shutdown). */
  event(
    level: 'info' | 'warn' | 'error',
    message: string,
    fields: object = {},
  ) {
    this.logger[level](fields, message);
  }

  /** Writes out what the asynchronous destination still holds. */
  flush(): Promise<void> {
    return new Promise(resolve => this.logger.flush(() => resolve()));
  }
}
