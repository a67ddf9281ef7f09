import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** One running component: its child process and its log file. */
export type Component = {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
};

/** Starts a binary with its output in `<logDir>/<name>.log`. */
export function startComponent(
  name: string,
  binary: string,
  args: string[],
  logDir: string,
  env: NodeJS.ProcessEnv = {},
): Component {
  const logFile = path.join(logDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(binary, args, {
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  fs.closeSync(out);
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code)),
  );
  return { name, child, logFile, exited };
}

/** The last lines of a component's log, for error messages. */
export function logTail(component: Component, lines = 30): string {
  try {
    return fs
      .readFileSync(component.logFile, 'utf8')
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls `check` until it returns true; fails early when the process exits. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; component?: Component },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let exitCode: number | null | undefined;
  options.component?.exited.then(code => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `${
          options.component!.name
        } exited (${exitCode}) before ${what}:\n${logTail(options.component!)}`,
      );
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      const tail = options.component ? `\n${logTail(options.component)}` : '';
      throw new Error(`timed out waiting for ${what}${tail}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

/** Resident memory of a process in MiB (Linux /proc), or NaN. */
export function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return NaN;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopComponent(c: Component, graceMs = 5000) {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  const timer = setTimeout(() => c.child.kill('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(timer);
}

export { freePort } from '@flagstage/test-utils';

/** The exit code of a failed execFile (1 when it has none: killed, not found). */
export function exitCodeOf(error: unknown): number {
  if (!error) return 0;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : 1;
}
