import {
  BUILD_PARAMETERS,
  START_PARAMETERS,
  renderBuildTokenSecret,
  renderBuildWorkflow,
  renderFlagSecret,
  renderStartWorkflow,
  renderStopWorkflow,
} from './render';
import {
  embeddedManifests,
  loadTemplateFiles,
  schemaErrors,
  type Manifest,
} from './__testUtils__/manifests';
import { manifestRules } from './__testUtils__/manifestRules';

const sample = (overrides: Record<string, string> = {}) => ({
  namespace: 'fs-3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f',
  'instance-id': '3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f',
  'contest-id': 'c1',
  'team-id': 't1',
  challenge: 'web-cookie-jar',
  image: 'registry.example/web-cookie-jar:1',
  port: '8080',
  protocol: 'http',
  'expires-at': '2000000000',
  'active-deadline-seconds': '3600',
  cpu: '250m',
  memory: '128Mi',
  harden: 'true',
  gvisor: 'false',
  'flag-secret': 'flag-3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f',
  'image-pull-secret': 'regcred',
  'gateway-namespace': 'flagstage-gateway',
  ...overrides,
});

const files = loadTemplateFiles();
const byName = (name: string) =>
  files.find(
    f => f.object.metadata?.name === name && f.object.kind !== 'ServiceAccount',
  )!;
const startTemplate = byName('start-challenge');

const render = () =>
  renderStartWorkflow({
    instanceId: '3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f',
    contestId: 'c1',
    teamId: 't1',
    challengeName: 'web-cookie-jar',
    image: 'registry.example/web-cookie-jar:1',
    port: 8080,
    protocol: 'http',
    expiresAt: new Date(2_000_000_000_000),
    ttlSeconds: 3600,
    harden: true,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });

describe('argo-templates/ and the manifests the worker renders', () => {
  it('has every template and RBAC file', () => {
    const kinds = files.map(f => `${f.object.kind}/${f.object.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'WorkflowTemplate/start-challenge',
        'WorkflowTemplate/stop-challenge',
        'WorkflowTemplate/build-challenge',
        'CronWorkflow/cleanup-expired',
        'ServiceAccount/flagstage-worker',
        'ServiceAccount/flagstage-deployer',
        'ServiceAccount/flagstage-cleanup',
        'ServiceAccount/flagstage-builder',
        'ClusterRole/flagstage-worker',
      ]),
    );
  });

  it('every file validates against the official Kubernetes and Argo schemas', () => {
    expect(schemaErrors(files)).toEqual([]);
  });

  it('every manifest start-challenge creates validates against the schemas, with and without harden/gvisor', () => {
    for (const params of [
      sample(),
      sample({ harden: 'false', gvisor: 'true' }),
    ]) {
      const created = embeddedManifests(startTemplate, params);
      expect(created.map(m => m.object.kind).sort()).toEqual([
        'Job',
        'Job',
        'Namespace',
        'NetworkPolicy',
        'NetworkPolicy',
        'NetworkPolicy',
        'Service',
      ]);
      expect(schemaErrors(created)).toEqual([]);
      const job = created.find(m => m.source.endsWith('job-runc'))!.object;
      expect(
        job.spec.template.spec.containers[0].securityContext
          .readOnlyRootFilesystem,
      ).toBe(params.harden === 'true');
      expect(
        created.find(m => m.source.endsWith('job-gvisor'))!.object.spec.template
          .spec.runtimeClassName,
      ).toBe('gvisor');
    }
  });

  it("every template and created manifest keeps Flagstage's own rules", () => {
    const all: Manifest[] = [
      ...files,
      ...embeddedManifests(startTemplate, sample()),
    ];
    expect(manifestRules(all)).toEqual([]);
    // stop-challenge only names the namespace it deletes.
    const stop = embeddedManifests(byName('stop-challenge'), sample());
    expect(stop.map(m => m.object.metadata.name)).toEqual([sample().namespace]);
    expect(schemaErrors(stop)).toEqual([]);
  });

  it('the rules catch what the schemas let through', () => {
    const created = embeddedManifests(startTemplate, sample());
    const broken = JSON.parse(JSON.stringify(created)) as Manifest[];
    const job = broken.find(m => m.source.endsWith('job-runc'))!.object;
    delete job.spec.template.spec.containers[0].resources.limits;
    job.spec.template.spec.containers[0].securityContext.privileged = true;
    delete job.spec.template.spec.securityContext.runAsNonRoot;
    const ns = broken.find(m => m.object.kind === 'Namespace')!.object;
    delete ns.metadata.labels['flagstage.io/expires-at'];
    const withoutDenyAll = broken.filter(
      m => m.object.metadata.name !== 'deny-all',
    );
    const service = withoutDenyAll.find(m => m.object.kind === 'Service')!;
    service.object.metadata.name = 'Challenge_1';
    // The schemas accept all of that...
    expect(schemaErrors(withoutDenyAll)).toEqual([]);
    // ...our rules do not.
    const problems = manifestRules(withoutDenyAll).join('\n');
    expect(problems).toMatch(/container challenge: no limits\.cpu/);
    expect(problems).toMatch(/container challenge: privileged/);
    expect(problems).toMatch(/does not set runAsNonRoot/);
    expect(problems).toMatch(/namespace lacks label flagstage\.io\/expires-at/);
    expect(problems).toMatch(/has no deny-all NetworkPolicy/);
    expect(problems).toMatch(/Service name "Challenge_1" is not DNS-1123/);
    const steps = JSON.parse(JSON.stringify(startTemplate)) as Manifest;
    steps.object.spec.templates[0] = {
      name: 'start',
      steps: [[{ name: 'a', template: 'create-namespace' }]],
    };
    expect(manifestRules([steps]).join()).toMatch(
      /uses steps; write it as a dag/,
    );
  });

  it('the schema check fails on a wrong type', () => {
    const created = embeddedManifests(startTemplate, sample({ port: 'http' }));
    expect(schemaErrors(created).join('\n')).toMatch(/port/);
  });

  it('the worker supplies exactly the parameters start-challenge requires', () => {
    const declared = startTemplate.object.spec.arguments.parameters as {
      name: string;
      value?: string;
    }[];
    const required = declared
      .filter(p => p.value === undefined)
      .map(p => p.name);
    const wf = render();
    const supplied = wf.spec.arguments.parameters.map(p => p.name);
    for (const name of required) expect(supplied).toContain(name);
    for (const name of supplied)
      expect(declared.map(p => p.name)).toContain(name);
    expect(supplied).toEqual([...START_PARAMETERS]);
  });

  it('rendered workflows and secrets validate and keep the rules; the flag is never a parameter', () => {
    const wf = render();
    const stop = renderStopWorkflow({
      instanceId: '3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f',
      labels: wf.metadata.labels,
    });
    const secret = renderFlagSecret({
      instanceId: '3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f',
      flag: 'flagstage{secret}',
      contestId: 'c1',
      teamId: 't1',
      challengeName: 'web-cookie-jar',
    });
    const rendered: Manifest[] = [
      { source: 'start', object: JSON.parse(JSON.stringify(wf)) },
      { source: 'stop', object: stop },
      { source: 'secret', object: secret },
    ];
    expect(schemaErrors(rendered)).toEqual([]);
    expect(manifestRules(rendered)).toEqual([]);
    expect(JSON.stringify(wf)).not.toContain('flagstage{');
    expect(wf.metadata.name).toBe('start-3f2b6c1e-0d4a-4a57-9d7e-1c2b3a4d5e6f');
    expect(wf.metadata.annotations).toEqual({
      'flagstage.io/traceparent':
        '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    // Sample values substituted into the real template give what render says.
    const created = embeddedManifests(
      startTemplate,
      Object.fromEntries([
        ...(startTemplate.object.spec.arguments.parameters as any[])
          .filter(p => p.value !== undefined)
          .map(p => [p.name, p.value]),
        ...wf.spec.arguments.parameters.map(p => [p.name, p.value]),
      ]),
    );
    expect(schemaErrors(created)).toEqual([]);
    expect(
      created.find(m => m.object.kind === 'Namespace')!.object.metadata.labels,
    ).toMatchObject(wf.metadata.labels);
  });

  it('the build workflow the worker renders matches build-challenge and keeps its token out of the parameters', () => {
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
    const rendered: Manifest[] = [
      { source: 'build', object: JSON.parse(JSON.stringify(build)) },
      { source: 'build-token', object: secret },
    ];
    expect(schemaErrors(rendered)).toEqual([]);
    expect(manifestRules(rendered)).toEqual([]);
    const declared = (
      byName('build-challenge').object.spec.arguments.parameters as {
        name: string;
        value?: string;
      }[]
    ).map(p => p.name);
    const supplied = build.spec.arguments.parameters.map(p => p.name);
    expect([...supplied].sort()).toEqual([...declared].sort());
    expect(supplied).toEqual([...BUILD_PARAMETERS]);
    expect(JSON.stringify(build)).not.toContain('token-value');
    expect(
      build.spec.arguments.parameters.find(p => p.name === 'registry')!.value,
    ).toBe('registry.example/ctf');
  });
});
