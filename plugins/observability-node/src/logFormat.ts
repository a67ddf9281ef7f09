import { format } from 'winston';
import type { Format } from 'logform';
import { currentTrace } from './traceContext';
import { redactFields } from './redact';

const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');
const SPLAT = Symbol.for('splat');

/**
 * Flagstage's log line: one JSON object with `timestamp`, `level`,
 * `message`, `service`, `version`, `traceId` and `spanId` (from the trace
 * context of the code that logged), then the fields (domain ids such as
 * `contest`, `team`, `challenge`, `instance`, `namespace` as given), with the
 * values of secret-named fields redacted.
 *
 * @public
 */
export function flagstageLogFormat(meta: {
  service: string;
  version: string;
}): Format {
  return format(info => {
    const trace = currentTrace();
    const { level, message, timestamp, ...rest } = info as Record<
      string | symbol,
      unknown
    > & { level: string; message: unknown; timestamp?: string };
    const fields = redactFields(rest) as Record<string, unknown>;
    const line = {
      timestamp: timestamp ?? new Date().toISOString(),
      level,
      message: typeof message === 'string' ? message : JSON.stringify(message),
      service: meta.service,
      version: meta.version,
      traceId: fields.traceId ?? trace?.traceId,
      spanId: fields.spanId ?? trace?.spanId,
      ...fields,
    };
    // Backstage's own `service: 'backstage'` default gives way to ours.
    line.service = meta.service;
    const out: Record<string | symbol, unknown> = { ...line };
    out[LEVEL] = (info as any)[LEVEL];
    out[SPLAT] = (info as any)[SPLAT];
    out[MESSAGE] = JSON.stringify(line);
    return out as any;
  })();
}
