import { act } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import type {
  GatewayConnectionItem,
  GatewayLimitsDocument,
  GatewayLimitsResponse,
} from '@flagstage/plugin-gateway-admin-common';
import type { GatewayAdminApi } from '../api';

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

export const DEFAULTS: GatewayLimitsDocument = {
  http: {
    perTokenRps: 300,
    perTokenBurst: 600,
    perIpRps: 500,
    perIpBurst: 1000,
    maxBodyBytes: 10485760,
  },
  tcp: {
    maxConnections: 4000,
    maxConnectionsPerIp: 1000,
    maxConnectionsPerToken: 15,
    authTimeoutMs: 5000,
    maxUnauthenticatedPerIp: 32,
    invalidTokensPerIpPerMinute: 60,
    maxLifetimeMs: 300000,
  },
};

export function limitsResponse(
  patch: Partial<GatewayLimitsResponse> = {},
): GatewayLimitsResponse {
  return {
    limits: DEFAULTS,
    defaults: DEFAULTS,
    version: 0,
    published: true,
    ...patch,
  };
}

export function liveConnection(
  patch: Partial<GatewayConnectionItem>,
): GatewayConnectionItem {
  return {
    id: 'c1',
    proto: 'tcp',
    iid: 'inst-1',
    team: 'team-1',
    chal: 'tcp-math-oracle',
    clientIp: '198.51.100.7',
    tokenId: '0123456789abcdef0123456789abcdef',
    since: '2026-11-22T12:00:00.000Z',
    bytesIn: 0,
    bytesOut: 0,
    replica: 'gw-a',
    ...patch,
  };
}

/** A fake API whose methods are jest mocks with harmless defaults. */
export function fakeApi(
  overrides: { [K in keyof GatewayAdminApi]?: jest.Mock } = {},
): jest.Mocked<GatewayAdminApi> {
  return {
    getLimits: jest.fn(async () => limitsResponse()),
    updateLimits: jest.fn(),
    listRevocations: jest.fn(async () => ({ items: [], published: true })),
    revoke: jest.fn(),
    unrevoke: jest.fn(),
    getConnections: jest.fn(async () => ({
      available: true,
      replicas: [],
      connections: [],
    })),
    getTopTalkers: jest.fn(async () => ({
      available: true,
      teams: [],
      instances: [],
    })),
    ...overrides,
  } as jest.Mocked<GatewayAdminApi>;
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
