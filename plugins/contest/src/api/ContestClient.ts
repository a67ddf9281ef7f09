import { ResponseError } from '@backstage/errors';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import type { Contest } from '@flagstage/plugin-contest-common';
import type { ContestApi } from './ContestApi';
import type {
  AdminSubmission,
  AdminTeam,
  Announcement,
  AttachChallengeRequest,
  ChallengeContestStats,
  ChallengeVisibility,
  ChallengeVisibilityResult,
  ContestCreateRequest,
  ContestDetail,
  ContestUpdateRequest,
  FlagIncident,
  ScoreboardPage,
  ScoreboardView,
  TeamBanRequest,
  TeamBanResult,
} from './types';

const e = encodeURIComponent;

function query(params: Record<string, string | number | undefined>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Talks to `/api/contest` with the signed-in user's token (fetchApi).
 * Non-2xx answers throw a ResponseError carrying the backend's error.
 *
 * @public
 */
export class ContestClient implements ContestApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async send(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<Response> {
    const base = await this.options.discoveryApi.getBaseUrl('contest');
    const response = await this.options.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      ...(init?.body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(init.body),
          }
        : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async json<T>(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<T> {
    return (await (await this.send(path, init)).json()) as T;
  }

  private async items<T>(path: string): Promise<T[]> {
    return (await this.json<{ items: T[] }>(path)).items;
  }

  listContests() {
    return this.items<Contest>('/admin/contests');
  }

  createContest(request: ContestCreateRequest) {
    return this.json<Contest>('/admin/contests', {
      method: 'POST',
      body: request,
    });
  }

  updateContest(slug: string, patch: ContestUpdateRequest) {
    return this.json<Contest>(`/admin/contests/${e(slug)}`, {
      method: 'PATCH',
      body: patch,
    });
  }

  async deleteContest(slug: string) {
    await this.send(`/admin/contests/${e(slug)}`, { method: 'DELETE' });
  }

  getContest(slug: string) {
    return this.json<ContestDetail>(`/admin/contests/${e(slug)}`);
  }

  attachChallenge(slug: string, request: AttachChallengeRequest) {
    return this.json<ChallengeVisibilityResult>(
      `/admin/contests/${e(slug)}/challenges`,
      { method: 'POST', body: request },
    );
  }

  updateChallenge(slug: string, name: string, visibility: ChallengeVisibility) {
    return this.json<ChallengeVisibilityResult>(
      `/admin/contests/${e(slug)}/challenges/${e(name)}`,
      { method: 'PATCH', body: visibility },
    );
  }

  async detachChallenge(slug: string, name: string) {
    await this.send(`/admin/contests/${e(slug)}/challenges/${e(name)}`, {
      method: 'DELETE',
    });
  }

  listTeams(slug: string, q?: string) {
    return this.items<AdminTeam>(
      `/admin/contests/${e(slug)}/teams${query({ q: q?.trim() })}`,
    );
  }

  setTeamBanned(slug: string, teamId: string, request: TeamBanRequest) {
    return this.json<TeamBanResult>(
      `/admin/contests/${e(slug)}/teams/${e(teamId)}/ban`,
      { method: 'POST', body: request },
    );
  }

  listSubmissions(slug: string, after?: number) {
    return this.items<AdminSubmission>(
      `/admin/contests/${e(slug)}/submissions${query({
        after: after || undefined,
      })}`,
    );
  }

  listIncidents(slug: string) {
    return this.items<FlagIncident>(`/admin/contests/${e(slug)}/incidents`);
  }

  getScoreboard(
    slug: string,
    options: { view?: ScoreboardView; division?: string; page?: number } = {},
  ) {
    return this.json<ScoreboardPage>(
      `/admin/contests/${e(slug)}/scoreboard${query({
        view: options.view ?? 'live',
        division: options.division,
        page: options.page && options.page > 1 ? options.page : undefined,
      })}`,
    );
  }

  // Staff read announcements through the public route: there is no admin one.
  listAnnouncements(slug: string) {
    return this.items<Announcement>(
      `/public/contests/${e(slug)}/announcements`,
    );
  }

  postAnnouncement(
    slug: string,
    announcement: { title: string; body: string },
  ) {
    return this.json<Announcement>(`/admin/contests/${e(slug)}/announcements`, {
      method: 'POST',
      body: announcement,
    });
  }

  getChallengeStats(entityRef: string) {
    return this.items<ChallengeContestStats>(
      `/admin/challenge-stats${query({ entityRef })}`,
    );
  }
}
