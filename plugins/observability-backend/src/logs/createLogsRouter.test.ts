import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  ADMIN,
  AUTHOR,
  OPERATOR,
  READER,
  startLogsTestBackend,
} from './__testUtils__/startLogsTestBackend';
import {
  internalError,
  parseError,
  streamsBackward,
} from './__fixtures__/lokiResponses';

jest.setTimeout(30_000);

const LOKI = 'http://loki.test';
const TOKEN = 'loki-token-never-shown';
const BASE = '/api/observability/logs';
// Requests to the test backend and the simulator pass through msw.
const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

const as = (server: any, user: string, path: string) =>
  request(server)
    .get(`${BASE}${path}`)
    .set('Authorization', mockCredentials.user.header(user));

describe('logs router: Loki', () => {
  let backend: Awaited<ReturnType<typeof startLogsTestBackend>>;
  let seen: URL[];

  beforeAll(async () => {
    backend = await startLogsTestBackend({
      observability: {
        loki: { baseUrl: LOKI, tenant: 'flagstage', token: TOKEN },
      },
    });
  });
  afterAll(() => backend.stop());
  beforeEach(() => {
    seen = [];
  });

  const answer = (body: unknown, status = 200) =>
    msw.use(
      http.get(`${LOKI}/loki/api/v1/query_range`, ({ request: req }) => {
        seen.push(new URL(req.url));
        return typeof body === 'string'
          ? new HttpResponse(body, { status })
          : HttpResponse.json(body as object, { status });
      }),
    );

  it('answers the page, the LogQL searched and the cursor to operators', async () => {
    answer(streamsBackward);
    const res = await as(
      backend.server,
      OPERATOR,
      '/loki?team=t1&challenge=web&contains=GET&start=2026-03-01T11:00:00Z&end=2026-03-01T13:00:00Z&limit=2',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      query: '{flagstage_team="t1", flagstage_challenge="web"} |= "GET"',
      items: [
        expect.objectContaining({
          timestamp: '1772366400000000300',
          line: 'GET /flag 403',
        }),
        expect.objectContaining({ timestamp: '1772366400000000200' }),
      ],
      nextCursor: '1772366400000000200',
    });
    expect(seen[0].searchParams.get('query')).toBe(
      '{flagstage_team="t1", flagstage_challenge="web"} |= "GET"',
    );
    // The next page ends where this one stopped.
    answer(streamsBackward);
    const next = await as(
      backend.server,
      OPERATOR,
      `/loki?team=t1&challenge=web&contains=GET&start=2026-03-01T11:00:00Z&end=2026-03-01T13:00:00Z&limit=2&cursor=${res.body.nextCursor}`,
    );
    expect(seen[1].searchParams.get('end')).toBe('1772366400000000200');
    expect(next.body.items.map((i: any) => i.timestamp)).toEqual([
      '1772366400000000100',
    ]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('lets admins and services search; denies authors, readers and the unauthenticated', async () => {
    answer(streamsBackward);
    expect((await as(backend.server, ADMIN, '/loki?team=t1')).status).toBe(200);
    expect(
      (
        await request(backend.server)
          .get(`${BASE}/loki?team=t1`)
          .set('Authorization', mockCredentials.service.header())
      ).status,
    ).toBe(200);
    const author = await as(backend.server, AUTHOR, '/loki?team=t1');
    expect(author.status).toBe(403);
    expect(author.body.error.message).toBe('Not allowed: flagstage.logs.read');
    expect((await as(backend.server, READER, '/loki?team=t1')).status).toBe(
      403,
    );
    expect(
      (await request(backend.server).get(`${BASE}/loki?team=t1`)).status,
    ).toBe(401);
    // Only the three allowed requests reached Loki.
    expect(seen).toHaveLength(2);
  });

  it('refuses invalid input with 400 before asking Loki', async () => {
    const bad = await as(backend.server, OPERATOR, '/loki?team=t1%22%7D');
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe('InputError');
    expect(
      (await as(backend.server, OPERATOR, '/loki?team=t1&limit=5000')).status,
    ).toBe(400);
    expect(
      (
        await as(
          backend.server,
          OPERATOR,
          '/loki?team=t1&start=2026-01-01T00:00:00Z&end=2026-02-01T00:00:00Z',
        )
      ).status,
    ).toBe(400);
    expect(seen).toHaveLength(0);
  });

  it('passes Loki’s 400 on as 400 with its message, a 500 as 503; the token is never logged nor answered', async () => {
    answer(parseError, 400);
    const refused = await as(backend.server, OPERATOR, '/loki?team=t1');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      `Loki refused the query: ${parseError}`,
    );
    answer(internalError, 500);
    const down = await as(backend.server, OPERATOR, '/loki?team=t1');
    expect(down.status).toBe(503);
    expect(down.body.error.name).toBe('ServiceUnavailableError');
    expect(down.body.error.message).toBe(`Loki answered 500: ${internalError}`);
    expect(
      JSON.stringify(refused.body) + JSON.stringify(down.body),
    ).not.toContain(TOKEN);
    expect(backend.log.lines.join('\n')).toContain('Loki search failed');
    expect(backend.log.lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('logs router: nothing configured', () => {
  it('answers 404 for Loki and the Kubernetes routes', async () => {
    const backend = await startLogsTestBackend({});
    try {
      const loki = await as(backend.server, OPERATOR, '/loki?team=t1');
      expect(loki.status).toBe(404);
      expect(loki.body.error.message).toBe('no Loki configured');
      for (const path of ['/workflows/i1', '/pods/i1']) {
        const res = await as(backend.server, OPERATOR, path);
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe('no Kubernetes cluster configured');
      }
    } finally {
      await backend.stop();
    }
  });
});

describe('logs router: Kubernetes', () => {
  let sim: KubeSimulator;
  let backend: Awaited<ReturnType<typeof startLogsTestBackend>>;

  beforeAll(async () => {
    sim = await KubeSimulator.start({ podReadyDelayMs: 50 });
    backend = await startLogsTestBackend({
      kubernetes: sim.kubernetesConfig('challenges', 'k8s-token'),
      observability: { kubernetes: { cluster: 'challenges' } },
    });
  });
  afterAll(async () => {
    await backend.stop();
    await sim.close();
  });

  const argoPod = (name: string, workflow: string) =>
    sim.create('pods', {
      metadata: {
        name,
        namespace: 'argo',
        labels: { 'workflows.argoproj.io/workflow': workflow },
      },
      spec: {
        initContainers: [{ name: 'init', image: 'argoexec' }],
        containers: [
          { name: 'wait', image: 'argoexec' },
          { name: 'main', image: 'argoexec' },
        ],
      },
    });

  it('answers the main container logs of the start workflow’s pods, and only of that workflow', async () => {
    argoPod('start-i1-namespace-1', 'start-i1');
    argoPod('start-i2-namespace-1', 'start-i2');
    sim.setPodLog(
      'argo',
      'start-i1-namespace-1',
      'namespace/fs-i1 created\n',
      'main',
    );
    sim.setPodLog('argo', 'start-i1-namespace-1', 'argoexec wait\n', 'wait');
    sim.setPodLog('argo', 'start-i2-namespace-1', 'other\n', 'main');
    const res = await as(
      backend.server,
      OPERATOR,
      '/workflows/i1?tailLines=10',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      workflow: 'start-i1',
      namespace: 'argo',
      pods: [
        {
          pod: 'start-i1-namespace-1',
          container: 'main',
          log: 'namespace/fs-i1 created\n',
        },
      ],
    });
    expect(sim.requests.map(r => r.path)).toContain(
      '/api/v1/namespaces/argo/pods?labelSelector=workflows.argoproj.io%2Fworkflow%3Dstart-i1',
    );
    const none = await as(backend.server, OPERATOR, '/workflows/i9');
    expect(none.body.pods).toEqual([]);
  });

  it('answers the challenge pod log of a started instance with tailLines and sinceSeconds', async () => {
    await sim.create('workflows', {
      metadata: {
        name: 'start-i3',
        namespace: 'argo',
        labels: { 'flagstage.io/instance': 'i3' },
      },
      spec: {
        workflowTemplateRef: { name: 'start-challenge' },
        arguments: {
          parameters: [
            { name: 'namespace', value: 'fs-i3' },
            { name: 'instance-id', value: 'i3' },
            { name: 'contest-id', value: 'c1' },
            { name: 'team-id', value: 't1' },
            { name: 'challenge', value: 'web' },
            { name: 'image', value: 'registry.example/web:1' },
            { name: 'port', value: '8080' },
          ],
        },
      },
    });
    let pods: any[] = [];
    for (let i = 0; i < 100 && pods.length === 0; i++) {
      pods = sim.list('pods', { namespace: 'fs-i3' });
      if (!pods.length) await new Promise(r => setTimeout(r, 20));
    }
    const pod = pods[0].metadata.name;
    sim.setPodLog(
      'fs-i3',
      pod,
      'listening on :8080\nGET / 200\nGET /flag 403\n',
    );
    const res = await as(
      backend.server,
      OPERATOR,
      '/pods/i3?tailLines=2&sinceSeconds=600',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      namespace: 'fs-i3',
      pod,
      container: 'challenge',
      log: 'GET / 200\nGET /flag 403\n',
    });
    const asked = sim.requests.find(r => r.path.includes(`/pods/${pod}/log`));
    expect(new URL(asked!.path, sim.url).searchParams.get('sinceSeconds')).toBe(
      '600',
    );
    expect(new URL(asked!.path, sim.url).searchParams.get('container')).toBe(
      'challenge',
    );
  });

  it('answers 404 without a challenge pod, 400 for a bad id or option, 403 for readers', async () => {
    const missing = await as(backend.server, OPERATOR, '/pods/gone');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'no challenge pod in namespace fs-gone',
    );
    expect((await as(backend.server, OPERATOR, '/pods/Bad_Id')).status).toBe(
      400,
    );
    expect(
      (await as(backend.server, OPERATOR, '/pods/i1?tailLines=0')).status,
    ).toBe(400);
    expect(
      (await as(backend.server, OPERATOR, '/pods/i1?sinceSeconds=x')).status,
    ).toBe(400);
    expect((await as(backend.server, READER, '/pods/i1')).status).toBe(403);
    expect((await as(backend.server, AUTHOR, '/workflows/i1')).status).toBe(
      403,
    );
    expect(backend.log.lines.join('\n')).not.toContain('k8s-token');
  });

  it('answers 503 when the Kubernetes API fails', async () => {
    sim.faults.apiErrors(1);
    try {
      const res = await as(backend.server, OPERATOR, '/workflows/i1');
      expect(res.status).toBe(503);
      expect(res.body.error.message).toBe(
        'the Kubernetes API answered 500: simulated API server error',
      );
    } finally {
      sim.faults.clear();
    }
  });
});
