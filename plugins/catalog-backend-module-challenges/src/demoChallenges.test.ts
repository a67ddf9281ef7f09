import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import {
  validateChallengeEntity,
  type ChallengeEntityV1alpha1,
} from '@flagstage/plugin-challenge-common';

const run = promisify(execFile);
const challengesDir = path.resolve(__dirname, '../../../catalog/challenges');
const packages = readdirSync(challengesDir).filter(d =>
  existsSync(path.join(challengesDir, d, 'catalog-info.yaml')),
);
const load = (dir: string) =>
  yaml.load(
    readFileSync(path.join(challengesDir, dir, 'catalog-info.yaml'), 'utf8'),
  ) as ChallengeEntityV1alpha1;
const sha256 = (data: string | Buffer) =>
  createHash('sha256').update(data).digest('hex');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number, child: ChildProcess) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`challenge exited with ${child.exitCode}`);
    }
    const ok = await new Promise<boolean>(resolve => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`port ${port} never opened`);
}

describe('demo challenges in catalog/challenges', () => {
  it('has the four kinds the demo contest needs', () => {
    const entities = packages.map(load);
    const protocols = entities.map(e => e.spec.runtime?.protocol ?? 'none');
    expect(protocols).toEqual(expect.arrayContaining(['http', 'tcp', 'none']));
    expect(
      entities.some(e => e.spec.flags.some(f => f.kind === 'dynamic')),
    ).toBe(true);
    expect(packages.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(packages)('%s', dir => {
    const entity = load(dir);
    const folder = path.join(challengesDir, dir);
    let child: ChildProcess | undefined;

    afterEach(() => {
      child?.kill('SIGKILL');
      child = undefined;
    });

    it('is a valid Challenge with a solution and, when instanced, a Dockerfile', () => {
      expect(validateChallengeEntity(entity)).toEqual([]);
      expect(entity.metadata.name).toBe(dir);
      expect(existsSync(path.join(folder, 'SOLUTION.md'))).toBe(true);
      expect(existsSync(path.join(folder, 'solve.mjs'))).toBe(true);
      expect(existsSync(path.join(folder, 'Dockerfile'))).toBe(
        entity.spec.type === 'instanced',
      );
    });

    it('is solvable: the solver prints the flag the catalog expects', async () => {
      const flag = entity.spec.flags[0];
      const teamFlag = `flagstage{test_${randomBytes(8).toString('hex')}}`;
      let args: string[];
      if (entity.spec.type === 'instanced') {
        const local = entity.spec.runtime!.local!;
        const port = await freePort();
        // Dynamic flags reach the runtime as FLAG; static ones read flag.txt.
        const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
        if (flag.kind === 'dynamic') env.FLAG = teamFlag;
        else delete env.FLAG;
        child = spawn(
          local.command[0] === 'node' ? process.execPath : local.command[0],
          local.command.slice(1),
          { cwd: path.join(folder, local.cwd ?? '.'), env, stdio: 'ignore' },
        );
        await waitForPort(port, child);
        args = ['127.0.0.1', String(port)];
      } else {
        args = [path.join(folder, entity.spec.attachments![0].path!)];
      }
      const { stdout } = await run(
        process.execPath,
        [path.join(folder, 'solve.mjs'), ...args],
        {
          timeout: 20_000,
        },
      );
      const solved = stdout.trim();
      const expected = flag.kind === 'static' ? flag.sha256 : teamFlag;
      expect(flag.kind).toMatch(/^(static|dynamic)$/);
      expect(flag.kind === 'static' ? `sha256:${sha256(solved)}` : solved).toBe(
        expected,
      );
    }, 30_000);

    it('ships attachments whose digests match the catalog', () => {
      for (const attachment of entity.spec.attachments ?? []) {
        const data = readFileSync(path.join(folder, attachment.path!));
        expect({ name: attachment.name, sha256: sha256(data) }).toEqual({
          name: attachment.name,
          sha256: attachment.sha256,
        });
      }
    });
  });
});
