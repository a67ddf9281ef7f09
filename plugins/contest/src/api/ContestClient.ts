import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { PluginApiFetch, queryString } from '@flagstage/plugin-flagstage-react';
import type { ContestApi } from './ContestApi';

const e = encodeURIComponent;

/**
 * Talks to `/api/contest` with the signed-in user's token (fetchApi).
 * Non-2xx answers throw a ResponseError carrying the backend's error. Each
 * method takes its types from {@link ContestApi} (request and response
 * types are in `@flagstage/plugin-contest-common`).
 *
 * @public
 */
export class ContestClient implements ContestApi {
  private readonly http: PluginApiFetch;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.http = new PluginApiFetch('contest', options);
  }

  listContests: ContestApi['listContests'] = () =>
    this.http.items('/admin/contests');

  createContest: ContestApi['createContest'] = request =>
    this.http.json('/admin/contests', { method: 'POST', body: request });

  updateContest: ContestApi['updateContest'] = (slug, patch) =>
    this.http.json(`/admin/contests/${e(slug)}`, {
      method: 'PATCH',
      body: patch,
    });

  deleteContest: ContestApi['deleteContest'] = async slug => {
    await this.http.send(`/admin/contests/${e(slug)}`, { method: 'DELETE' });
  };

  getContest: ContestApi['getContest'] = slug =>
    this.http.json(`/admin/contests/${e(slug)}`);

  attachChallenge: ContestApi['attachChallenge'] = (slug, request) =>
    this.http.json(`/admin/contests/${e(slug)}/challenges`, {
      method: 'POST',
      body: request,
    });

  updateChallenge: ContestApi['updateChallenge'] = (slug, name, visibility) =>
    this.http.json(`/admin/contests/${e(slug)}/challenges/${e(name)}`, {
      method: 'PATCH',
      body: visibility,
    });

  detachChallenge: ContestApi['detachChallenge'] = async (slug, name) => {
    await this.http.send(`/admin/contests/${e(slug)}/challenges/${e(name)}`, {
      method: 'DELETE',
    });
  };

  listTeams: ContestApi['listTeams'] = (slug, q) =>
    this.http.items(
      `/admin/contests/${e(slug)}/teams${queryString({ q: q?.trim() })}`,
    );

  setTeamBanned: ContestApi['setTeamBanned'] = (slug, teamId, request) =>
    this.http.json(`/admin/contests/${e(slug)}/teams/${e(teamId)}/ban`, {
      method: 'POST',
      body: request,
    });

  listSubmissions: ContestApi['listSubmissions'] = (slug, after) =>
    this.http.items(
      `/admin/contests/${e(slug)}/submissions${queryString({
        after: after || undefined,
      })}`,
    );

  listIncidents: ContestApi['listIncidents'] = slug =>
    this.http.items(`/admin/contests/${e(slug)}/incidents`);

  getScoreboard: ContestApi['getScoreboard'] = (slug, options = {}) =>
    this.http.json(
      `/admin/contests/${e(slug)}/scoreboard${queryString({
        view: options.view ?? 'live',
        division: options.division,
        page: options.page && options.page > 1 ? options.page : undefined,
      })}`,
    );

  // Staff read announcements through the public route: there is no admin one.
  listAnnouncements: ContestApi['listAnnouncements'] = slug =>
    this.http.items(`/public/contests/${e(slug)}/announcements`);

  postAnnouncement: ContestApi['postAnnouncement'] = (slug, announcement) =>
    this.http.json(`/admin/contests/${e(slug)}/announcements`, {
      method: 'POST',
      body: announcement,
    });

  getChallengeStats: ContestApi['getChallengeStats'] = entityRef =>
    this.http.items(`/admin/challenge-stats${queryString({ entityRef })}`);
}
