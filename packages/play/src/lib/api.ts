/**
 * The contest plugin's public API (`/api/contest/public`), the only backend
 * this app talks to. Every failure becomes an {@link ApiError} whose message
 * is a sentence a contestant can act on.
 */

import type {
  Announcement,
  ContestantAccount,
  ContestantMe,
  HintUnlockResult,
  InstanceActionResponse,
  InstanceResponse,
  ListResponse,
  LoginRequest,
  PublicChallenge,
  PublicContest,
  RegisterRequest,
  ScoreboardPage,
  SubmitResult,
  TeamCreateRequest,
  TeamSummary,
} from '@flagstage/plugin-contest-common';

/** An API failure, with a sentence for the contestant and what kind it was. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Seconds to wait, from `Retry-After` (429 and 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Makes a server message a sentence: capital first letter, final stop. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const capital = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The sentence shown for a failed response. */
export function errorSentence(
  status: number,
  serverMessage: string | undefined,
  retryAfter?: number,
): string {
  const wait =
    retryAfter !== undefined
      ? ` Try again in ${plural(retryAfter, 'second')}.`
      : '';
  switch (status) {
    case 401:
      return 'Please sign in first.';
    case 429:
      return `${
        serverMessage ? sentence(serverMessage) : 'Too many attempts.'
      }${wait || ' Wait a minute and try again.'}`;
    case 503:
      return `The platform is busy right now.${wait || ' Try again shortly.'}`;
    case 400:
    case 403:
    case 404:
    case 409:
      return serverMessage
        ? sentence(serverMessage)
        : 'That request was not accepted.';
    default:
      if (status >= 500)
        return 'Something went wrong on the server. Please try again in a moment.';
      return serverMessage
        ? sentence(serverMessage)
        : 'That request was not accepted.';
  }
}

const BASE = '/api/contest/public';

async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  // Every POST carries a JSON body (`{}` when it has no input): the server
  // refuses non-JSON bodies on state-changing requests (cross-site forms).
  const payload = body ?? (method === 'POST' ? {} : undefined);
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      credentials: 'same-origin',
      headers:
        payload !== undefined
          ? { 'content-type': 'application/json' }
          : undefined,
      body: payload !== undefined ? JSON.stringify(payload) : undefined,
    });
  } catch {
    throw new ApiError(
      'Could not reach the contest server. Check your connection and try again.',
      0,
    );
  }
  if (res.status === 204) return undefined as T;
  let data: any;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const header = res.headers.get('retry-after');
    const retryAfter =
      header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
    const message =
      typeof data?.error?.message === 'string' ? data.error.message : undefined;
    throw new ApiError(
      errorSentence(res.status, message, retryAfter),
      res.status,
      retryAfter,
    );
  }
  return data as T;
}

const enc = encodeURIComponent;

export const api = {
  contests: () =>
    call<ListResponse<PublicContest>>('GET', '/contests').then(r => r.items),
  contest: (slug: string) =>
    call<PublicContest>('GET', `/contests/${enc(slug)}`),
  register: (slug: string, input: RegisterRequest) =>
    call<ContestantAccount>('POST', `/contests/${enc(slug)}/register`, input),
  login: (slug: string, input: LoginRequest) =>
    call<ContestantAccount>('POST', `/contests/${enc(slug)}/login`, input),
  logout: () => call<void>('POST', '/logout'),
  /** The signed-in contestant, or null when there is no session. */
  me: async (): Promise<ContestantMe | null> => {
    try {
      return await call<ContestantMe>('GET', '/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  createTeam: (input: TeamCreateRequest) =>
    call<TeamSummary>('POST', '/teams', input),
  joinTeam: (inviteCode: string) =>
    call<TeamSummary>('POST', '/teams/join', { inviteCode }),
  leaveTeam: () => call<void>('POST', '/teams/leave'),
  challenges: () =>
    call<ListResponse<PublicChallenge>>('GET', '/challenges').then(
      r => r.items,
    ),
  submit: (name: string, flag: string) =>
    call<SubmitResult>('POST', `/challenges/${enc(name)}/submit`, { flag }),
  unlockHint: (name: string, index: number) =>
    call<HintUnlockResult>(
      'POST',
      `/challenges/${enc(name)}/hints/${index}/unlock`,
    ),
  instance: (name: string) =>
    call<InstanceResponse>('GET', `/challenges/${enc(name)}/instance`).then(
      r => r.instance,
    ),
  startInstance: (name: string) =>
    call<InstanceActionResponse>(
      'POST',
      `/challenges/${enc(name)}/instance`,
    ).then(r => r.instance),
  stopInstance: (name: string) =>
    call<InstanceActionResponse>(
      'DELETE',
      `/challenges/${enc(name)}/instance`,
    ).then(r => r.instance),
  extendInstance: (name: string) =>
    call<InstanceActionResponse>(
      'POST',
      `/challenges/${enc(name)}/instance/extend`,
    ).then(r => r.instance),
  scoreboard: (slug: string, division?: string) =>
    call<ScoreboardPage>(
      'GET',
      `/contests/${enc(slug)}/scoreboard${
        division ? `?division=${enc(division)}` : ''
      }`,
    ),
  announcements: (slug: string) =>
    call<ListResponse<Announcement>>(
      'GET',
      `/contests/${enc(slug)}/announcements`,
    ).then(r => r.items),
};

/** The message of any thrown value, as a sentence. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return 'Something went wrong. Please reload the page and try again.';
}
