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
  ) {}

  log(entry: AccessLogEntry) {
    this.buffer.push(
      JSON.stringify({
        ts: new Date().toISOString(),
        level: 'info',
        msg: 'access',
        ...entry,
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
      JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields }),
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
