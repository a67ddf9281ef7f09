import type * as ArgoModels from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1';
import type * as CoreModels from 'kubernetes-models/v1';
import { InputError } from '@backstage/errors';
import {
  BUILD_PARAMETERS,
  START_PARAMETERS,
  STOP_PARAMETERS,
  type StartWorkflowInput,
  renderBuildTokenSecret,
  renderBuildWorkflow,
  renderFlagSecret,
  renderStartWorkflow,
  renderStopWorkflow,
} from './render';
import { labelsFor } from './names';
import {
  createdManifests,
  loadAllTemplates,
  parametersWithDefaults,
} from './__testUtils__/manifests';
import { manifestRules } from './__testUtils__/manifestRules';
import { loadModels, schemaErrors } from './__testUtils__/schemas';

/**
 * What the worker renders, checked against the official schemas (through
 * the typed kubernetes-models classes), Flagstage's rules, and the
 * WorkflowTemplates it references: every parameter a template requires is
 * supplied, no parameter it does not declare is.
 */

const { Workflow } = loadModels<typeof ArgoModels>(
  '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/index',
);
const { Secret } = loadModels<typeof CoreModels>('kubernetes-models/v1/index');

const ID = '3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f';
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const input = (over: Partial<StartWorkflowInput> = {}): StartWorkflowInput => ({
  instanceId: ID,
  contestId: 'c1',
  teamId: 't1',
  challengeName: 'web-cookie-jar',
  image: 'registry.example/ctf/web-cookie-jar:1',
  port: 8080,
  protocol: 'http',
  expiresAt: new Date(2_000_000_000_500),
  ttlSeconds: 3600,
  traceparent: TRACEPARENT,
  ...over,
});
const identity = {
  instanceId: ID,
  contestId: 'c1',
  teamId: 't1',
  challengeName: 'web-cookie-jar',
};

const templates = loadAllTemplates();
const template = (name: string) =>
  templates.find(
    m =>
      m.object.kind === 'WorkflowTemplate' && m.object.metadata.name === name,
  )!;
const declared = (name: string) =>
  template(name).object.spec.arguments.parameters as {
    name: string;
    value?: string;
  }[];
const paramsOf = (wf: {
  spec: { arguments: { parameters: { name: string; value: string }[] } };
}) =>
  Object.fromEntries(wf.spec.arguments.parameters.map(p => [p.name, p.value]));

/** Every parameter without a default is supplied; nothing undeclared is. */
function expectMatches(
  wf: {
    spec: {
      workflowTemplateRef: { name: string };
      arguments: { parameters: { name: string; value: string }[] };
    };
  },
  templateName: string,
) {
  expect(wf.spec.workflowTemplateRef.name).toBe(templateName);
  const names: string[] = wf.spec.arguments.parameters.map(p => p.name);
  const all = declared(templateName).map(p => p.name);
  const required = declared(templateName)
    .filter(p => p.value === undefined)
    .map(p => p.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter(n => !all.includes(n))).toEqual([]);
  expect(required.filter(n => !names.includes(n))).toEqual([]);
  for (const p of wf.spec.arguments.parameters)
    expect(typeof p.value).toBe('string');
}

describe('renderStartWorkflow', () => {
  it('renders start-<id> referencing start-challenge, valid against the Workflow schema and the rules', () => {
    const wf = renderStartWorkflow(input());
    // The typed model takes it as is (a compile-time check too) and validates.
    expect(() => new Workflow(wf).validate()).not.toThrow();
    expect(schemaErrors([{ source: 'start', object: wf }])).toEqual([]);
    expect(manifestRules([{ source: 'start', object: wf }])).toEqual([]);
    expect(wf.metadata).toEqual({
      name: `start-${ID}`,
      namespace: 'argo',
      labels: {
        'app.kubernetes.io/managed-by': 'flagstage',
        'flagstage.io/instance': ID,
        'flagstage.io/contest': 'c1',
        'flagstage.io/team': 't1',
        'flagstage.io/challenge': 'web-cookie-jar',
        'flagstage.io/expires-at': '2000000000',
      },
      annotations: { 'flagstage.io/traceparent': TRACEPARENT },
    });
  });

  it('supplies exactly the parameters start-challenge declares (every required one, nothing extra), as strings', () => {
    const wf = renderStartWorkflow(input({ harden: true, gvisor: true }));
    expectMatches(wf, 'start-challenge');
    expect(wf.spec.arguments.parameters.map(p => p.name)).toEqual([
      ...START_PARAMETERS,
    ]);
    expect(paramsOf(wf)).toEqual({
      namespace: `fs-${ID}`,
      'instance-id': ID,
      'contest-id': 'c1',
      'team-id': 't1',
      challenge: 'web-cookie-jar',
      image: 'registry.example/ctf/web-cookie-jar:1',
      port: '8080',
      protocol: 'http',
      'expires-at': '2000000000',
      'active-deadline-seconds': '3600',
      cpu: '500m',
      memory: '256Mi',
      harden: 'true',
      gvisor: 'true',
      'flag-secret': `flag-${ID}`,
    });
  });

  it('what start-challenge creates from the rendered parameters is valid, compliant and matches them', () => {
    for (const over of [
      {},
      { harden: true, gvisor: true, cpu: '2', memory: '1Gi', port: 31337 },
    ]) {
      const wf = renderStartWorkflow(input(over));
      const start = template('start-challenge');
      const created = createdManifests(
        start,
        parametersWithDefaults(start, paramsOf(wf)),
      );
      expect(schemaErrors(created)).toEqual([]);
      expect(manifestRules(created)).toEqual([]);
      const ns = created.find(m => m.object.kind === 'Namespace')!.object;
      expect(ns.metadata.name).toBe(`fs-${ID}`);
      expect(ns.metadata.labels).toMatchObject(wf.metadata.labels);
      const job = created.find(m => m.object.kind === 'Job')!.object;
      const pod = job.spec.template.spec;
      expect(pod.runtimeClassName).toBe(over.gvisor ? 'gvisor' : undefined);
      expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(
        !!over.harden,
      );
      expect(pod.containers[0].resources.limits).toMatchObject({
        cpu: over.cpu ?? '500m',
        memory: over.memory ?? '256Mi',
      });
      expect(job.spec.activeDeadlineSeconds).toBe(3600);
    }
  });

  it('never carries the flag, and drops a malformed traceparent instead of shipping it', () => {
    const wf = renderStartWorkflow(input({ traceparent: 'not a traceparent' }));
    expect(wf.metadata.annotations).toBeUndefined();
    expect(JSON.stringify(wf)).not.toMatch(/FLAG|flagstage\{/);
    expect(
      renderStartWorkflow(input({ traceparent: undefined })).metadata,
    ).not.toHaveProperty('annotations');
  });

  it('honours argoNamespace and rounds ttlSeconds up', () => {
    const wf = renderStartWorkflow(
      input({ argoNamespace: 'workflows', ttlSeconds: 59.2 }),
    );
    expect(wf.metadata.namespace).toBe('workflows');
    expect(paramsOf(wf)['active-deadline-seconds']).toBe('60');
  });

  it.each<[string, Partial<StartWorkflowInput>, RegExp]>([
    [
      'an upper-case id',
      { instanceId: 'ABC' },
      /cannot name Kubernetes objects/,
    ],
    ['a too long id', { instanceId: 'a'.repeat(58) }, /at most 57/],
    ['an id with a dot', { instanceId: 'a.b' }, /cannot name/],
    ['an empty id', { instanceId: '' }, /cannot name/],
    [
      'a team id that is no label value',
      { teamId: 'team one' },
      /flagstage\.io\/team/,
    ],
    [
      'a 64-character challenge name',
      { challengeName: 'c'.repeat(64) },
      /flagstage\.io\/challenge/,
    ],
    ['port 0', { port: 0 }, /not a TCP port/],
    ['port 70000', { port: 70000 }, /not a TCP port/],
    ['a bad protocol', { protocol: 'udp' as 'tcp' }, /protocol/],
    ['an image with a space', { image: 'evil image' }, /image/],
    ['an image breaking out of YAML', { image: 'x"\n  evil: true' }, /image/],
    ['an invalid date', { expiresAt: new Date(NaN) }, /expiresAt/],
    ['ttl 0', { ttlSeconds: 0 }, /ttlSeconds/],
    ['a bad cpu', { cpu: 'lots' }, /cpu "lots" is not a Kubernetes quantity/],
    ['a bad memory', { memory: '1 GB' }, /memory/],
  ])('refuses %s with an InputError', (_, over, message) => {
    expect(() => renderStartWorkflow(input(over))).toThrow(InputError);
    expect(() => renderStartWorkflow(input(over))).toThrow(message);
  });
});

describe('renderStopWorkflow', () => {
  it('renders stop-<id> with exactly stop-challenge’s parameters, valid and labelled', () => {
    // The driver copies the namespace's labels when it still exists.
    const wf = renderStopWorkflow({
      instanceId: ID,
      labels: { ...labelsFor(identity), 'flagstage.io/expires-at': '1' },
    });
    expect(() => new Workflow(wf as any).validate()).not.toThrow();
    expect(schemaErrors([{ source: 'stop', object: wf }])).toEqual([]);
    expect(manifestRules([{ source: 'stop', object: wf }])).toEqual([]);
    expect(wf.metadata.name).toBe(`stop-${ID}`);
    expect(wf.metadata.labels).not.toHaveProperty('flagstage.io/expires-at');
    expectMatches(wf, 'stop-challenge');
    expect(wf.spec.arguments.parameters).toEqual([
      { name: 'namespace', value: `fs-${ID}` },
      { name: 'instance-id', value: ID },
    ]);
    expect(wf.spec.arguments.parameters.map(p => p.name)).toEqual([
      ...STOP_PARAMETERS,
    ]);
    // The namespace stop-challenge deletes is the one start-challenge created.
    const deleted = createdManifests(
      template('stop-challenge'),
      paramsOf(wf),
    ).map(m => m.object.metadata.name);
    expect(deleted).toEqual([`fs-${ID}`]);
  });

  it('refuses an id that cannot name the namespace', () => {
    expect(() =>
      renderStopWorkflow({ instanceId: 'fs/../kube-system' }),
    ).toThrow(InputError);
  });
});

describe('renderFlagSecret', () => {
  it('renders flag-<id> in the argo namespace with key FLAG, labelled, valid', () => {
    const secret = renderFlagSecret({ ...identity, flag: 'flagstage{s3cret}' });
    expect(() => new Secret(secret).validate()).not.toThrow();
    expect(schemaErrors([{ source: 'secret', object: secret }])).toEqual([]);
    expect(manifestRules([{ source: 'secret', object: secret }])).toEqual([]);
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: `flag-${ID}`,
        namespace: 'argo',
        labels: {
          'app.kubernetes.io/managed-by': 'flagstage',
          'flagstage.io/instance': ID,
          'flagstage.io/contest': 'c1',
          'flagstage.io/team': 't1',
          'flagstage.io/challenge': 'web-cookie-jar',
        },
      },
      stringData: { FLAG: 'flagstage{s3cret}' },
    });
    // Its name is the flag-secret parameter the start workflow passes.
    expect(paramsOf(renderStartWorkflow(input()))['flag-secret']).toBe(
      secret.metadata.name,
    );
  });

  it('refuses an empty or oversized flag without echoing it', () => {
    expect(() => renderFlagSecret({ ...identity, flag: '' })).toThrow(
      InputError,
    );
    const huge = `flagstage{${'x'.repeat(5000)}}`;
    expect(() => renderFlagSecret({ ...identity, flag: huge })).toThrow(
      /longer than 4096 bytes$/,
    );
    let message = '';
    try {
      renderFlagSecret({ ...identity, flag: huge });
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/InputError/);
    expect(message).not.toContain('flagstage{');
  });
});

describe('renderBuildWorkflow', () => {
  it('matches build-challenge, validates, and keeps the callback token out of the parameters', () => {
    const build = renderBuildWorkflow({
      buildId: '0b6c2f9e-0d4a-4a57-9d7e-1c2b3a4d5e6f',
      challengeName: 'web-cookie-jar',
      context: 'git://git.example/ctf/challenges.git#refs/heads/main',
      contextSubPath: 'challenges/web-cookie-jar',
      registry: 'registry.example/ctf/',
      callbackUrl: 'https://portal.example/api/deployment/builds/0b6c/callback',
    });
    const secret = renderBuildTokenSecret({
      buildId: '0b6c2f9e-0d4a-4a57-9d7e-1c2b3a4d5e6f',
      token: 'token-value',
      challengeName: 'web-cookie-jar',
    });
    expect(() => new Workflow(build as any).validate()).not.toThrow();
    expect(
      schemaErrors([
        { source: 'build', object: build },
        { source: 'build-token', object: secret },
      ]),
    ).toEqual([]);
    expectMatches(build, 'build-challenge');
    expect(build.spec.arguments.parameters.map(p => p.name)).toEqual([
      ...BUILD_PARAMETERS,
    ]);
    expect(JSON.stringify(build)).not.toContain('token-value');
    expect(paramsOf(build).registry).toBe('registry.example/ctf');
  });
});
