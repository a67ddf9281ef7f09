/** One line per HTTP request or per connection. Never the token. */
export type AccessLogEntry = {
  proto: 'http' | 'ws' | 'tcp' | 'ws-tcp';
  conn: string;
  clientIp: string;
  host?: string;
  route?: string;
  method?: string;
  team?: string;
  chal?: string;
  iid?: string;
  /** Trace id of the request that started the instance (from the token). */
  tr?: string;
  tokenId?: string;
  status?: number;
  reason?: string;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
};

/**
 * JSON lines on stdout, batched: lines written in one tick go out in one
 * write, which keeps logging off the per-request cost.
 */
export class AccessLog {
  private buffer: string[] = [];
  private scheduled = false;

  constructor(
    private readonly write: (text: string) => void = text => {
      process.stdout.write(text);
    },
    private readonly version: string = process.env.FLAGSTAGE_VERSION ?? '0.0.0',
  ) {}

  log(entry: AccessLogEntry) {
    const { iid, chal, tr, ...rest } = entry;
    // Flagstage's log shape (as the backend's): fixed fields, the trace id
    // of the deploy, and the domain ids by their common names.
    this.buffer.push(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        level: 'info',
        message: 'access',
        service: 'gateway',
        version: this.version,
        traceId: tr,
        instance: iid,
        challenge: chal,
        ...rest,
      }),
    );
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Operational messages (start, Redis state, shutdown). */
  event(level: 'info' | 'warn' | 'error', msg: string, fields: object = {}) {
    this.buffer.push(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        level,
        message: msg,
        service: 'gateway',
        version: this.version,
        ...fields,
      }),
    );
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush() {
    this.scheduled = false;
    if (this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.write(text);
  }
}
