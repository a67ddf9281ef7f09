import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';
import { describeWithHelm, find, render, repoRoot } from './__testUtils__/helm';

/**
 * The three images stay buildable in principle (no Docker engine here): each
 * COPY source of a Dockerfile is in the repository or produced by the
 * package's build, and the .dockerignore lets it through; the CMD's paths are
 * in the image; the chart's containers run the same entry point.
 */

type Instruction = { name: string; args: string };
/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(file: string): Instruction[] {
  return fs
    .readFileSync(file, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))
    .map(l => {
      const [name, ...rest] = l.split(/\s+/);
      return { name: name.toUpperCase(), args: rest.join(' ') };
    });
}

/** A COPY's sources (flags dropped; JSON form accepted); the last word is the destination. */
function copySources(args: string): { sources: string[]; fromStage: boolean } {
  const words = args.trim().startsWith('[')
    ? (JSON.parse(args) as string[])
    : args.split(/\s+/);
  const fromStage = words.some(w => w.startsWith('--from='));
  const plain = words.filter(w => !w.startsWith('--'));
  return { sources: plain.slice(0, -1), fromStage };
}

/**
 * What `backstage-cli package build` writes for a package of role `backend`
 * (documented: "Building a backend package": dist/bundle.tar.gz and
 * dist/skeleton.tar.gz), and what the gateway's bundle script writes.
 */
function buildOutputs(pkgDir: string): string[] {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(repoRoot, pkgDir, 'package.json'), 'utf8'),
  );
  const outputs: string[] = [];
  if (
    pkg.backstage?.role === 'backend' &&
    pkg.scripts?.build === 'backstage-cli package build'
  )
    outputs.push(
      `${pkgDir}/dist/bundle.tar.gz`,
      `${pkgDir}/dist/skeleton.tar.gz`,
    );
  const outfile = /--outfile=(\S+)/.exec(pkg.scripts?.bundle ?? '')?.[1];
  if (outfile) outputs.push(path.posix.join(pkgDir, outfile));
  return outputs;
}

const ignore = dockerignore({ ignorecase: false }).add(
  fs.readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n'),
);
const matchesInRepo = (source: string) => {
  if (!source.includes('*'))
    return fs.existsSync(path.join(repoRoot, source)) ? [source] : [];
  const dir = path.dirname(source);
  const re = new RegExp(
    `^${path.basename(source).replace(/\./g, '\\.').replace(/\*/g, '.*')}$`,
  );
  return fs
    .readdirSync(path.join(repoRoot, dir))
    .filter(f => re.test(f))
    .map(f => path.posix.join(dir, f));
};

const IMAGES = ['packages/backend', 'packages/worker', 'packages/gateway'];

describe.each(IMAGES)('%s/Dockerfile', pkgDir => {
  const steps = instructions(path.join(repoRoot, pkgDir, 'Dockerfile'));
  const outputs = buildOutputs(pkgDir);

  it('copies only what the repository has or the package build produces, and .dockerignore lets it through', () => {
    const copies = steps
      .filter(s => s.name === 'COPY')
      .map(s => copySources(s.args));
    expect(copies.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { sources, fromStage } of copies) {
      if (fromStage)
        problems.push(
          `COPY --from in a single-context image: ${sources.join(' ')}`,
        );
      for (const source of sources) {
        const found = outputs.includes(source)
          ? [source]
          : matchesInRepo(source);
        if (!found.length)
          problems.push(
            `${source}: neither in the repository nor built by ${pkgDir}'s build`,
          );
        for (const f of found)
          if (ignore.ignores(f))
            problems.push(`${f}: excluded by .dockerignore`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs a CMD whose files the image holds, and the chart runs the same entry point', () => {
    const cmd = JSON.parse(
      steps.filter(s => s.name === 'CMD').pop()!.args,
    ) as string[];
    expect(cmd[0]).toBe('node');
    const configs = cmd.filter((_, i) => cmd[i - 1] === '--config');
    for (const c of configs)
      expect(fs.existsSync(path.join(repoRoot, c))).toBe(true);
    const copied = steps
      .filter(s => s.name === 'COPY')
      .flatMap(s => copySources(s.args).sources);
    for (const c of configs)
      expect(
        copied.some(
          s => s === c || (s.includes('*') && matchesInRepo(s).includes(c)),
        ),
      ).toBe(true);
    const entry = pkgDir === 'packages/gateway' ? '/app/gateway.cjs' : pkgDir;
    expect(cmd[1]).toBe(entry);
  });
});

describe('the gateway bundle', () => {
  it('its bundle script writes the one file the image copies, and that file loads', () => {
    const pkg = JSON.parse(
      fs.readFileSync(
        path.join(repoRoot, 'packages/gateway/package.json'),
        'utf8',
      ),
    );
    const out = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-bundle-')),
      'gateway.cjs',
    );
    const script = (pkg.scripts.bundle as string).replace(
      /--outfile=\S+/,
      `--outfile=${out}`,
    );
    const [bin, ...args] = script.split(/\s+/);
    execFileSync(path.join(repoRoot, 'node_modules/.bin', bin), args, {
      cwd: path.join(repoRoot, 'packages/gateway'),
    });
    expect(fs.statSync(out).size).toBeGreaterThan(100_000);
    // Without GATEWAY_KEYS it must refuse to start with a message, not crash on a missing module.
    let stderr = '';
    try {
      execFileSync(process.execPath, [out], {
        env: { PATH: process.env.PATH },
        stdio: 'pipe',
        timeout: 10_000,
      });
    } catch (e: any) {
      stderr = String(e.stderr);
    }
    expect(stderr).toContain('GATEWAY_KEYS');
    expect(stderr).not.toMatch(/Cannot find module/);
  }, 60_000);
});

describeWithHelm()('the chart runs the images as their Dockerfiles do', () => {
  it.each([
    ['flagstage-backend', 'packages/backend'],
    ['flagstage-worker', 'packages/worker'],
  ])(
    '%s: args = the CMD of %s/Dockerfile plus the chart overlay',
    (name, pkgDir) => {
      const cmd = JSON.parse(
        instructions(path.join(repoRoot, pkgDir, 'Dockerfile'))
          .filter(s => s.name === 'CMD')
          .pop()!.args,
      );
      const args = find(render(), 'Deployment', name).spec.template.spec
        .containers[0].args;
      expect(args).toEqual([
        ...cmd,
        '--config',
        '/app/config/app-config.kubernetes.yaml',
      ]);
    },
  );

  it('flagstage-gateway: no args, the CMD runs as is', () => {
    expect(
      find(render(), 'Deployment', 'flagstage-gateway').spec.template.spec
        .containers[0].args,
    ).toBeUndefined();
  });
});
