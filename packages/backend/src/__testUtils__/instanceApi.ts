import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { eventually } from './e2e';

/**
 * The deployment API as the Kubernetes e2e suites drive it, as one external
 * service: start an instance for a new team, read it, wait for a state,
 * run the reconciler. `server` is read late (the backend starts in beforeAll).
 */
export function instanceApi(
  server: () => any,
  options: { waitMs?: number } = {},
) {
  const api = (method: 'get' | 'post', url: string, body?: object) =>
    (request(server()) as any)
      [method](url)
      .set('Authorization', mockCredentials.service.header())
      .send(body);
  let team = 0;
  const start = async (name: string) => {
    team += 1;
    const res = await api('post', '/api/deployment/instances', {
      contestId: 'c1',
      teamId: `t${team}`,
      challengeRef: `challenge:default/${name}`,
    });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const status = (id: string): Promise<any> =>
    api('get', `/api/deployment/instances/${id}?access=true`).then(
      (r: any) => r.body,
    );
  const until = (id: string, states: string[], ms = options.waitMs) =>
    eventually(
      () => status(id),
      s => states.includes(s.state),
      ms,
    );
  const reconcile = () =>
    api('post', '/api/deployment-worker/reconcile').then((r: any) => {
      expect(r.status).toBe(200);
      return r.body;
    });
  return { api, start, status, until, reconcile };
}
