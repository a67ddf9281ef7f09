import path from 'node:path';
import { LocalDriver } from './LocalDriver';

jest.setTimeout(30_000);

const fixtures = path.resolve(__dirname, '../__fixtures__');
const request = (instanceId: string, args: string[] = []) => ({
  instanceId,
  contestId: 'c',
  teamId: 't',
  challengeRef: 'challenge:default/tiny',
  challengeName: 'tiny',
  runtime: {
    protocol: 'http' as const,
    port: 3333,
    local: { command: ['node', 'tiny-server.mjs', ...args] },
  },
  packageDir: fixtures,
  env: { FLAG: 'flagstage{local}' },
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('LocalDriver', () => {
  const driver = new LocalDriver({ startTimeoutMs: 5000 });
  afterAll(() => driver.stopAll());

  it('starts the command on a free loopback port with PORT and FLAG, waits for it, and stops the process', async () => {
    const endpoint = await driver.start(request('i1', ['300']));
    expect(endpoint.target).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`http://${endpoint.target}/`);
    expect(await res.text()).toBe('ok with flag');
    expect(await driver.observe('i1')).toEqual({ state: 'running', endpoint });
    // Idempotent: a redelivered start finds the running instance.
    expect(await driver.start(request('i1', ['300']))).toEqual(endpoint);
    const [pid] = driver.pids();
    const output = await driver.output('i1');
    expect(output).toContain('[stdout] flag length 16');
    expect(output).toContain('[stderr] to stderr');
    expect(output.join('\n')).not.toContain('flagstage{local}');
    await driver.stop('i1');
    expect(alive(pid)).toBe(false);
    expect(await driver.observe('i1')).toEqual({ state: 'stopped' });
    await driver.stop('i1');
  });

  it('fails with the exit and the last output when the command dies', async () => {
    await expect(driver.start(request('i2', ['0', 'crash']))).rejects.toThrow(
      /exited with code 3.*boom/,
    );
  });

  it('a stop during start leaves nothing running', async () => {
    const starting = driver.start(request('i3', ['1500']));
    await new Promise(r => setTimeout(r, 300));
    await driver.stop('i3');
    await expect(starting).rejects.toThrow(/stopped while starting/);
    expect(driver.pids()).toEqual([]);
  });

  it('refuses a challenge without a local command or package folder', async () => {
    await expect(
      driver.start({
        ...request('i4'),
        runtime: { protocol: 'http', port: 1 },
      }),
    ).rejects.toThrow(/runtime.local.command/);
    await expect(
      driver.start({ ...request('i5'), packageDir: undefined }),
    ).rejects.toThrow(/package folder/);
  });
});
