import { act } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import type {
  AdminContestChallenge,
  AdminTeam,
  Contest,
} from '@flagstage/plugin-contest-common';
import type { ContestApi } from '../api';

/** A minimal fetch Response carrying a JSON body (or none, for 204). */
export function fakeResponse(status: number, body?: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status < 300 ? 'OK' : 'Error',
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

export function contest(patch: Partial<Contest> = {}): Contest {
  return {
    id: 'c-1',
    slug: 'finals',
    name: 'Finals 2026',
    startsAt: '2026-12-01T10:00:00.000Z',
    endsAt: '2026-12-02T10:00:00.000Z',
    freezeAt: null,
    divisions: ['open', 'student'],
    teamSizeLimit: 4,
    registration: 'open',
    submissionRatePerMinute: 10,
    maxAttempts: null,
    scoringDefaults: {},
    ...patch,
  };
}

export function challenge(
  patch: Partial<AdminContestChallenge> = {},
): AdminContestChallenge {
  return {
    name: 'web-cookie-jar',
    entityRef: 'challenge:default/web-cookie-jar',
    title: 'Cookie Jar',
    category: 'web',
    difficulty: 'beginner',
    type: 'instanced',
    hidden: true,
    releaseAt: null,
    syncedAt: '2026-11-22T12:00:00.000Z',
    scoring: { function: 'ctfd-linear', initial: 500, minimum: 100, decay: 25 },
    value: 500,
    solves: 0,
    ...patch,
  };
}

export function team(patch: Partial<AdminTeam> = {}): AdminTeam {
  return {
    id: 't-1',
    name: 'Null Pointers',
    division: 'open',
    members: 3,
    banned: false,
    banReason: null,
    ...patch,
  };
}

/** A fake API whose methods are jest mocks with harmless defaults. */
export function fakeApi(
  overrides: { [K in keyof ContestApi]?: jest.Mock } = {},
): jest.Mocked<ContestApi> {
  return {
    listContests: jest.fn(async () => []),
    createContest: jest.fn(async req => contest(req)),
    updateContest: jest.fn(async (_slug, patch) => contest(patch)),
    deleteContest: jest.fn(async () => undefined),
    getContest: jest.fn(async () => ({ contest: contest(), challenges: [] })),
    attachChallenge: jest.fn(),
    updateChallenge: jest.fn(),
    detachChallenge: jest.fn(async () => undefined),
    listTeams: jest.fn(async () => []),
    setTeamBanned: jest.fn(),
    listSubmissions: jest.fn(async () => []),
    listIncidents: jest.fn(async () => []),
    getScoreboard: jest.fn(async () => ({
      contestId: 'c-1',
      frozen: false,
      computedAt: '2026-12-01T12:00:00.000Z',
      entries: [],
      top10Series: [],
      division: null,
      page: 1,
      pageSize: 100,
      pages: 1,
      total: 0,
    })),
    listAnnouncements: jest.fn(async () => []),
    postAnnouncement: jest.fn(),
    getChallengeStats: jest.fn(async () => []),
    ...overrides,
  } as jest.Mocked<ContestApi>;
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
