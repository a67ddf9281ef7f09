import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type {
  ContestantMe,
  PublicChallenge,
  PublicContest,
} from '@flagstage/plugin-contest-common';

/** The contest public API base, as the app calls it (relative to jsdom's origin). */
export const API = 'http://localhost/api/contest/public';

export const contest: PublicContest = {
  slug: 'demo',
  name: 'Demo CTF',
  startsAt: '2020-01-01T00:00:00.000Z',
  endsAt: '2099-01-01T00:00:00.000Z',
  freezeAt: null,
  divisions: [],
  teamSizeLimit: 4,
  registration: 'open',
};

export const team = {
  id: 't1',
  name: 'Alices',
  division: null,
  inviteCode: 'inv-1234567890',
  members: 1,
  banned: false,
};

export const me: ContestantMe = {
  id: 'c1',
  username: 'alice',
  contest: 'demo',
  team,
};

export function challenge(
  overrides: Partial<PublicChallenge>,
): PublicChallenge {
  return {
    name: 'web-cookie-jar',
    title: 'Cookie Jar',
    category: 'web',
    difficulty: 'beginner',
    type: 'instanced',
    protocol: 'http',
    value: 500,
    solves: 0,
    solved: false,
    locked: false,
    requires: [],
    description: 'The jar only opens for **admins**.',
    attachments: [],
    hints: [],
    ...overrides,
  };
}

export const apiError = (
  status: number,
  name: string,
  message: string,
  headers: Record<string, string> = {},
) => HttpResponse.json({ error: { name, message } }, { status, headers });

/** Handlers for a signed-in contestant with a team; tests override per case. */
export const defaultHandlers = [
  http.get(`${API}/contests`, () => HttpResponse.json({ items: [contest] })),
  http.get(`${API}/contests/demo`, () => HttpResponse.json(contest)),
  http.get(`${API}/me`, () => HttpResponse.json(me)),
  http.get(`${API}/challenges`, () =>
    HttpResponse.json({ items: [challenge({})] }),
  ),
  http.get(`${API}/challenges/:name/instance`, () =>
    HttpResponse.json({ instance: null }),
  ),
];

export const server = setupServer(...defaultHandlers);

/** Call in a test file: starts msw, resets handlers and the URL between tests. */
export function setupMockApi() {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    window.history.replaceState(null, '', '/');
    window.localStorage.clear();
  });
  afterAll(() => server.close());
}
