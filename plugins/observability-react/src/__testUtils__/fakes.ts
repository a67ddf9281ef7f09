import { act } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import type { LogItem, ObservabilityApi } from '../api';

/** The ResponseError the client throws for a Backstage error answer. */
export function responseError(status: number, name: string, message: string) {
  const text = JSON.stringify({
    error: { name, message },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: 'Error',
    headers: new Map([['content-type', 'application/json; charset=utf-8']]),
    text: async () => text,
    json: async () => JSON.parse(text),
  } as any);
}

/** A log line at `iso` plus `extraNs` nanoseconds. */
export function line(iso: string, text: string, extraNs = 0): LogItem {
  return {
    timestamp: (
      BigInt(Date.parse(iso)) * 1_000_000n +
      BigInt(extraNs)
    ).toString(),
    line: text,
    labels: {
      namespace: 'fs-i1',
      pod: 'challenge-abcde',
      container: 'challenge',
      challenge: 'web',
    },
  };
}

/** A fake API whose methods are jest mocks with harmless defaults. */
export function fakeApi(
  overrides: { [K in keyof ObservabilityApi]?: jest.Mock } = {},
): jest.Mocked<ObservabilityApi> {
  return {
    searchLogs: jest.fn(async () => ({
      query: '{challenge="web"}',
      items: [],
      nextCursor: null,
    })),
    getWorkflowLogs: jest.fn(async (id: string) => ({
      workflow: `start-${id}`,
      namespace: 'argo',
      pods: [],
    })),
    getPodLogs: jest.fn(async (id: string) => ({
      namespace: `fs-${id}`,
      pod: 'challenge-abcde',
      container: 'challenge',
      log: '',
    })),
    ...overrides,
  } as jest.Mocked<ObservabilityApi>;
}

/** renderInTestApp inside act(), so the first loads settle before the test goes on. */
export async function renderSettled(
  ...args: Parameters<typeof renderInTestApp>
): Promise<ReturnType<typeof renderInTestApp>> {
  let result: ReturnType<typeof renderInTestApp> | undefined;
  await act(async () => {
    result = renderInTestApp(...args);
  });
  return result!;
}
