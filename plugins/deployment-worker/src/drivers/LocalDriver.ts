import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type {
  RuntimeDriver,
  RuntimeEndpoint,
  RuntimeObservation,
  RuntimeStartRequest,
} from '@flagstage/plugin-deployment-common';

type OutputLine = {
  stream: 'stdout' | 'stderr' | 'driver';
  line: string;
  at: string;
};

type LocalInstance = {
  child?: ChildProcess;
  port?: number;
  state: 'starting' | 'running' | 'stopped' | 'failed';
  reason?: string;
  starting?: Promise<RuntimeEndpoint>;
  exited: Promise<void>;
  markExited: () => void;
  output: OutputLine[];
};

const KEEP_LINES = 500;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(500, () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * The embedded-default driver: runs `runtime.local.command` of the challenge
 * as a child process (its own process group) on a free loopback port with
 * `PORT` and `FLAG`, waits until the port answers, captures its output, and
 * kills the whole group on stop. No isolation: for development and
 * single-machine demos only.
 */
export class LocalDriver implements RuntimeDriver {
  readonly name = 'local';
  private readonly instances = new Map<string, LocalInstance>();

  constructor(
    private readonly options: {
      startTimeoutMs?: number;
      onOutput?: (instanceId: string, line: OutputLine) => void;
    } = {},
  ) {}

  private note(
    id: string,
    inst: LocalInstance,
    stream: OutputLine['stream'],
    line: string,
  ) {
    const entry = { stream, line, at: new Date().toISOString() };
    inst.output.push(entry);
    if (inst.output.length > KEEP_LINES)
      inst.output.splice(0, inst.output.length - KEEP_LINES);
    this.options.onOutput?.(id, entry);
  }

  async start(request: RuntimeStartRequest): Promise<RuntimeEndpoint> {
    const existing = this.instances.get(request.instanceId);
    if (existing?.state === 'running' && existing.port)
      return { target: `127.0.0.1:${existing.port}` };
    if (existing?.starting) return existing.starting;
    const local = request.runtime.local;
    if (!local?.command?.length)
      throw new Error(
        'the challenge has no runtime.local.command for the local driver',
      );
    if (!request.packageDir)
      throw new Error(
        'the challenge package folder is unknown (local driver needs a file location)',
      );
    let markExited!: () => void;
    const inst: LocalInstance = {
      state: 'starting',
      exited: new Promise<void>(r => {
        markExited = r;
      }),
      markExited: () => markExited(),
      output: [],
    };
    this.instances.set(request.instanceId, inst);
    inst.starting = this.launch(request, inst, local).finally(() => {
      inst.starting = undefined;
    });
    return inst.starting;
  }

  private async launch(
    request: RuntimeStartRequest,
    inst: LocalInstance,
    local: { command: string[]; cwd?: string },
  ): Promise<RuntimeEndpoint> {
    const id = request.instanceId;
    const port = await freePort();
    inst.port = port;
    const cwd = path.resolve(request.packageDir!, local.cwd ?? '.');
    const [command, ...args] = local.command;
    const child = spawn(command === 'node' ? process.execPath : command, args, {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        ...request.env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
    });
    inst.child = child;
    this.note(
      id,
      inst,
      'driver',
      `started pid ${child.pid} on 127.0.0.1:${port}`,
    );
    for (const [stream, readable] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      let partial = '';
      readable?.on('data', (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.note(id, inst, stream, line);
      });
    }
    child.on('exit', (code, signal) => {
      this.note(id, inst, 'driver', `exited with ${signal ?? `code ${code}`}`);
      if (inst.state === 'running' || inst.state === 'starting') {
        inst.state = 'failed';
        inst.reason = `process exited with ${signal ?? `code ${code}`}`;
      }
      inst.markExited();
    });
    child.on('error', e => {
      inst.state = 'failed';
      inst.reason = `could not start: ${e.message}`;
      inst.markExited();
    });

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (inst.state === 'stopped') throw new Error('stopped while starting');
      if (inst.state === 'failed') {
        const tail = inst.output
          .slice(-5)
          .map(o => o.line)
          .join(' | ');
        throw new Error(
          `${inst.reason}${tail ? `; last output: ${tail}` : ''}`,
        );
      }
      if (await answers(port)) {
        // A stop may have raced the last probe.
        if ((inst.state as string) === 'stopped')
          throw new Error('stopped while starting');
        inst.state = 'running';
        return { target: `127.0.0.1:${port}` };
      }
      await new Promise(r => setTimeout(r, 100));
    }
    await this.kill(inst);
    inst.state = 'failed';
    inst.reason = 'did not open its port in time';
    throw new Error(inst.reason);
  }

  private async kill(inst: LocalInstance) {
    const child = inst.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3000);
    await inst.exited;
    clearTimeout(timer);
  }

  async stop(instanceId: string): Promise<void> {
    const inst = this.instances.get(instanceId);
    if (!inst) return;
    inst.state = 'stopped';
    await this.kill(inst);
  }

  async observe(instanceId: string): Promise<RuntimeObservation> {
    const inst = this.instances.get(instanceId);
    if (!inst || inst.state === 'stopped') return { state: 'stopped' };
    if (inst.state === 'failed')
      return { state: 'failed', reason: inst.reason ?? 'failed' };
    if (inst.state === 'starting') return { state: 'starting' };
    return { state: 'running', endpoint: { target: `127.0.0.1:${inst.port}` } };
  }

  async output(instanceId: string, options: { tail?: number } = {}) {
    const inst = this.instances.get(instanceId);
    return (inst?.output ?? [])
      .slice(-(options.tail ?? 200))
      .map(o => `[${o.stream}] ${o.line}`);
  }

  /** Process ids still alive (for tests and shutdown). */
  pids(): number[] {
    return [...this.instances.values()]
      .map(i => i.child)
      .filter(
        (c): c is ChildProcess =>
          !!c && c.exitCode === null && c.signalCode === null,
      )
      .map(c => c.pid!);
  }

  async stopAll() {
    await Promise.all([...this.instances.keys()].map(id => this.stop(id)));
  }
}
