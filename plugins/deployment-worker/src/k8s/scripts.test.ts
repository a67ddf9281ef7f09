import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  Manifest,
  loadAllTemplates,
  parametersWithDefaults,
  substitute,
} from './__testUtils__/manifests';
import { manifestRules } from './__testUtils__/manifestRules';
import { schemaErrors } from './__testUtils__/schemas';

/**
 * The shell steps in the templates, run for real with `sh` against stand-in
 * `kubectl` / `curl` commands on PATH that record what they were asked to do
 * (there is no cluster here). The scripts and their environment come from
 * the YAML, with Argo's {{...}} substituted as Argo would.
 */

const ID = '3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f';
const FLAG = 'flagstage{copied-not-printed}';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const all = loadAllTemplates();
const find = (kind: string, name: string) =>
  all.find(m => m.object.kind === kind && m.object.metadata.name === name)!;
const containerOf = (m: Manifest, template: string) => {
  const spec =
    m.object.kind === 'CronWorkflow'
      ? m.object.spec.workflowSpec
      : m.object.spec;
  return spec.templates.find((t: any) => t.name === template).container;
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flagstage-scripts-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.mkdirSync(path.join(dir, 'created'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function fakeCommand(name: string, body: string) {
  const file = path.join(dir, 'bin', name);
  fs.writeFileSync(file, `#!/bin/sh\nFAKE=${JSON.stringify(dir)}\n${body}\n`);
  fs.chmodSync(file, 0o755);
}

/** Runs a template's `sh -ec` container like its pod would: script from args, env from env. */
function run(
  container: any,
  params: Record<string, string>,
  extraEnv: Record<string, string> = {},
) {
  expect(container.command).toEqual(['sh', '-ec']);
  const env: Record<string, string> = {
    PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
    ...extraEnv,
  };
  for (const e of container.env ?? [])
    if (e.value !== undefined) env[e.name] = substitute(e.value, params);
  const script = substitute(container.args[0], params);
  return spawnSync('sh', ['-ec', script], { env, encoding: 'utf8' });
}

describe('start-challenge copy-secrets', () => {
  const start = find('WorkflowTemplate', 'start-challenge');
  const params = parametersWithDefaults(start, {
    namespace: `fs-${ID}`,
    'instance-id': ID,
    'contest-id': 'c1',
    'team-id': 't1',
    challenge: 'web-cookie-jar',
    'flag-secret': `flag-${ID}`,
  });

  beforeEach(() => {
    fs.mkdirSync(path.join(dir, 'secrets'));
    // kubectl -n <ns> get secret <name> --ignore-not-found -o jsonpath='{.type}{"\n"}{.data}'
    // kubectl create -f -
    fakeCommand(
      'kubectl',
      `case "$3 $4" in
  "get secret")
    [ "$1 $2" = "-n argo" ] || { echo "wrong source namespace: $*" >&2; exit 2; }
    [ -f "$FAKE/secrets/$5" ] && cat "$FAKE/secrets/$5"
    exit 0 ;;
esac
if [ "$*" = "create -f -" ]; then
  n=$(ls "$FAKE/created" | wc -l); cat > "$FAKE/created/$n.json"; exit 0
fi
echo "unexpected: kubectl $*" >&2; exit 2`,
    );
  });
  const source = (name: string, type: string, data: Record<string, string>) =>
    fs.writeFileSync(
      path.join(dir, 'secrets', name),
      `${type}\n${JSON.stringify(data)}`,
    );
  const created = () =>
    fs
      .readdirSync(path.join(dir, 'created'))
      .sort()
      .map(f =>
        JSON.parse(fs.readFileSync(path.join(dir, 'created', f), 'utf8')),
      );

  it('copies both secrets into the instance namespace as fresh, labelled, valid objects and prints no secret data', () => {
    const dockerconfig = b64(
      '{"auths":{"registry.example":{"auth":"dXNlcjpwYXNz"}}}',
    );
    source('regcred', 'kubernetes.io/dockerconfigjson', {
      '.dockerconfigjson': dockerconfig,
    });
    source(`flag-${ID}`, 'Opaque', { FLAG: b64(FLAG) });
    const result = run(containerOf(start, 'copy-secrets'), params);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [pull, flag] = created();
    expect(pull).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: {
        name: 'regcred',
        namespace: `fs-${ID}`,
        labels: {
          'app.kubernetes.io/managed-by': 'flagstage',
          'flagstage.io/instance': ID,
          'flagstage.io/contest': 'c1',
          'flagstage.io/team': 't1',
          'flagstage.io/challenge': 'web-cookie-jar',
        },
      },
      data: { '.dockerconfigjson': dockerconfig },
    });
    expect(flag.metadata).toMatchObject({
      name: 'flag',
      namespace: `fs-${ID}`,
    });
    expect(Buffer.from(flag.data.FLAG, 'base64').toString()).toBe(FLAG);
    const manifests = created().map((object, i) => ({
      source: `copy#${i}`,
      object,
    }));
    expect(schemaErrors(manifests)).toEqual([]);
    expect(manifestRules(manifests)).toEqual([]);
    // The logs: names only, never the data.
    expect(result.stdout).not.toContain(FLAG);
    expect(result.stdout).not.toContain(b64(FLAG));
    expect(result.stdout).not.toContain(dockerconfig);
    expect(result.stdout).toMatch(/copied secret flag-.* to fs-.*\/flag/);
  });

  it('skips a missing pull secret or flag Secret (public image, static flag)', () => {
    const result = run(containerOf(start, 'copy-secrets'), params);
    expect(result.status).toBe(0);
    expect(created()).toEqual([]);
    expect(result.stdout).toMatch(/secret regcred not found in argo; skipped/);
  });

  it('copies a pull secret without data as an empty, still valid Secret', () => {
    fs.writeFileSync(path.join(dir, 'secrets', 'regcred'), 'Opaque\n');
    const result = run(containerOf(start, 'copy-secrets'), params);
    expect(result.status).toBe(0);
    const [pull] = created();
    expect(pull.data).toEqual({});
    expect(schemaErrors([{ source: 'copy', object: pull }])).toEqual([]);
  });

  it('fails the step when creating the copy fails', () => {
    source(`flag-${ID}`, 'Opaque', { FLAG: b64(FLAG) });
    fakeCommand(
      'kubectl',
      `[ "$3 $4" = "get secret" ] && { [ -f "$FAKE/secrets/$5" ] && cat "$FAKE/secrets/$5"; exit 0; }
echo 'Error from server (Forbidden)' >&2; exit 1`,
    );
    const result = run(containerOf(start, 'copy-secrets'), params);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Forbidden/);
    expect(result.stdout + result.stderr).not.toContain(b64(FLAG));
  });
});

describe('cleanup-expired', () => {
  const cron = find('CronWorkflow', 'cleanup-expired');
  const now = Math.floor(Date.now() / 1000);

  beforeEach(() => {
    // kubectl get namespaces -l app.kubernetes.io/managed-by=flagstage -o jsonpath=...
    // kubectl delete namespace <name> --wait=false --ignore-not-found
    fakeCommand(
      'kubectl',
      `case "$1 $2" in
  "get namespaces")
    [ "$3 $4" = "-l app.kubernetes.io/managed-by=flagstage" ] || { echo "no label selector: $*" >&2; exit 2; }
    cat "$FAKE/namespaces"; exit 0 ;;
  "delete namespace") echo "$3" >> "$FAKE/deleted"; exit 0 ;;
esac
echo "unexpected: kubectl $*" >&2; exit 2`,
    );
  });

  it('deletes only namespaces whose expires-at is past the grace period, and tolerates junk labels', () => {
    fs.writeFileSync(
      path.join(dir, 'namespaces'),
      [
        `fs-long-gone ${now - 3600}`,
        `fs-just-expired ${now - 60}`, // within the 5-minute grace
        `fs-running ${now + 600}`,
        'fs-no-label ',
        'fs-junk 12abc',
        '',
      ].join('\n'),
    );
    const result = run(containerOf(cron, 'cleanup'), {});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'deleted'), 'utf8')).toBe(
      'fs-long-gone\n',
    );
  });
});

describe('build-challenge report (exit handler)', () => {
  const build = find('WorkflowTemplate', 'build-challenge');

  it('POSTs the workflow status with the Bearer token from the Secret, token not on the command line', () => {
    fakeCommand(
      'curl',
      `for a in "$@"; do printf '%s\\n' "$a"; done > "$FAKE/curl-args"`,
    );
    const params = parametersWithDefaults(build, {
      'build-id': 'b1',
      challenge: 'web-cookie-jar',
      context: 'git://git.example/ctf.git',
      registry: 'registry.example/ctf',
      'callback-url':
        'https://portal.example/api/deployment/builds/b1/callback',
      'callback-token-secret': 'build-token-b1',
    });
    const result = run(containerOf(build, build.object.spec.onExit), params, {
      CALLBACK_TOKEN: 'per-workflow-token',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const args = fs
      .readFileSync(path.join(dir, 'curl-args'), 'utf8')
      .split('\n');
    expect(args).toContain(
      'https://portal.example/api/deployment/builds/b1/callback',
    );
    expect(args).toContain('Authorization: Bearer per-workflow-token');
    const body = JSON.parse(args[args.indexOf('-d') + 1]);
    expect(body).toEqual({
      buildId: 'b1',
      workflow: 'start-sample',
      status: 'Succeeded',
      image: 'registry.example/ctf/web-cookie-jar:latest',
    });
    expect(result.stdout).not.toContain('per-workflow-token');
    // The token comes from the Secret named by the parameter, not from a parameter.
    const tokenEnv = containerOf(build, 'report').env.find(
      (e: any) => e.name === 'CALLBACK_TOKEN',
    );
    expect(tokenEnv.valueFrom.secretKeyRef).toEqual({
      name: '{{workflow.parameters.callback-token-secret}}',
      key: 'TOKEN',
    });
  });
});
