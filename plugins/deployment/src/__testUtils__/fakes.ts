import { act } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import type {
  BuildView,
  InstanceView,
} from '@flagstage/plugin-deployment-common';
import type { DeploymentApi } from '../api';

/** A minimal fetch Response carrying a Backstage JSON error or a JSON body. */
export function fakeResponse(status: number, body: unknown) {
  const text = JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: new Map([['content-type', 'application/json; charset=utf-8']]),
    redirected: false,
    type: 'basic',
    url: 'http://localhost',
    text: async () => text,
    json: async () => JSON.parse(text),
  } as unknown as Response;
}

/** The ResponseError the client throws for a Backstage error answer. */
export function responseError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    fakeResponse(status, {
      error: { name, message },
      response: { statusCode: status },
    }) as any,
  );
}

/** An instance view with harmless defaults (RUNNING, expiring in an hour). */
export function instance(patch: Partial<InstanceView> = {}): InstanceView {
  const now = Date.now();
  return {
    id: 'inst-1',
    contestId: 'demo',
    teamId: 'team-1',
    challengeRef: 'challenge:default/web-cookie-jar',
    challenge: 'web-cookie-jar',
    state: 'RUNNING',
    failureReason: null,
    protocol: 'http',
    createdAt: new Date(now - 60_000).toISOString(),
    updatedAt: new Date(now - 30_000).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
    extendCount: 0,
    extendableFrom: new Date(now + 3_000_000).toISOString(),
    ...patch,
  };
}

/** A build view with harmless defaults (SUCCEEDED a minute ago). */
export function build(patch: Partial<BuildView> = {}): BuildView {
  const now = Date.now();
  return {
    id: 'build-1',
    challengeRef: 'challenge:default/web-cookie-jar',
    status: 'SUCCEEDED',
    image: 'registry.local/web-cookie-jar:build-1',
    workflow: 'build-build-1',
    message: null,
    requestedBy: 'user:default/author',
    createdAt: new Date(now - 120_000).toISOString(),
    updatedAt: new Date(now - 60_000).toISOString(),
    finishedAt: new Date(now - 60_000).toISOString(),
    ...patch,
  };
}

/** A fake API whose methods are jest mocks with harmless defaults. */
export function fakeApi(
  overrides: { [K in keyof DeploymentApi]?: jest.Mock } = {},
): jest.Mocked<DeploymentApi> {
  return {
    listInstances: jest.fn(async () => ({ items: [], nextCursor: null })),
    getInstance: jest.fn(async (id: string) => instance({ id })),
    stopInstance: jest.fn(async (id: string) =>
      instance({ id, state: 'STOPPING' }),
    ),
    extendInstance: jest.fn(async (id: string) => instance({ id })),
    getTransitions: jest.fn(async () => ({ items: [] })),
    getOutput: jest.fn(async () => ({ items: [] })),
    getWorkflow: jest.fn(async () => ({ workflow: null })),
    getQueue: jest.fn(async () => ({ ready: 0, dead: 0, instances: {} })),
    listBuilds: jest.fn(async () => ({ items: [] })),
    startBuild: jest.fn(async (challengeRef: string) =>
      build({
        challengeRef,
        status: 'QUEUED',
        image: null,
        workflow: null,
        finishedAt: null,
      }),
    ),
    ...overrides,
  } as jest.Mocked<DeploymentApi>;
}

/**
 * renderInTestApp inside act(), so the first loads (which resolve at once
 * in these fakes) settle before the test goes on.
 */
export async function renderSettled(
  ...args: Parameters<typeof renderInTestApp>
): Promise<ReturnType<typeof renderInTestApp>> {
  let result: ReturnType<typeof renderInTestApp> | undefined;
  await act(async () => {
    result = renderInTestApp(...args);
  });
  return result!;
}
