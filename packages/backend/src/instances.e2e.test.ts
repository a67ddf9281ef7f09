import net from 'node:net';
import request from 'supertest';
import WebSocket from 'ws';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleChallenges from '@flagstage/plugin-catalog-backend-module-challenges';
import contestPlugin from '@flagstage/plugin-contest-backend';
import deploymentPlugin from '@flagstage/plugin-deployment-backend';
import deploymentWorkerPlugin from '@flagstage/plugin-deployment-worker';
import { embeddedGatewayPlugin } from './embeddedGateway';
import {
  embeddedDefaultConfig,
  eventually,
  freePort,
  viaGateway,
} from './__testUtils__/e2e';

jest.setTimeout(120_000);

const secret = Buffer.alloc(32, 7).toString('base64');

/** Answers the math oracle's questions over any duplex until it prints a flag. */
function solveOracle(
  write: (s: string) => void,
  onLine: (cb: (line: string) => void) => void,
): Promise<string> {
  return new Promise(resolve => {
    onLine(line => {
      const q = line.match(/What is (-?\d+) ([+*-]) (\d+)\?/);
      if (q) {
        const [a, op, b] = [Number(q[1]), q[2], Number(q[3])];
        const answers: Record<string, number> = {
          '+': a + b,
          '-': a - b,
          '*': a * b,
        };
        write(`${answers[op]}\n`);
      }
      const flag = line.match(/flagstage\{[^}]+\}/);
      if (flag) resolve(flag[0]);
    });
  });
}
function lines(cb: (line: string) => void) {
  let buffered = '';
  return (chunk: Buffer | string) => {
    buffered += chunk.toString();
    for (
      let nl = buffered.indexOf('\n');
      nl >= 0;
      nl = buffered.indexOf('\n')
    ) {
      cb(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  };
}

/**
 * The embedded default end to end: catalog with the demo challenges, the
 * contest, deployment and worker plugins with the in-process queue and the
 * local driver, and the Challenge Gateway in the same backend.
 */
describe('instances end to end on the embedded default', () => {
  let server: any;
  let ports: { http: number; tcp: number; admin: number };

  beforeAll(async () => {
    ports = {
      http: await freePort(),
      tcp: await freePort(),
      admin: await freePort(),
    };
    const backend = await startTestBackend({
      features: [
        databaseServiceFactory,
        mockServices.rootConfig.factory({
          data: embeddedDefaultConfig({
            ports,
            key: { kid: 'e2e', secret },
            domain: 'gateway.test',
          }),
        }),
        catalogPlugin,
        catalogModuleChallenges,
        contestPlugin,
        deploymentPlugin,
        deploymentWorkerPlugin,
        embeddedGatewayPlugin,
      ],
    });
    server = backend.server;
  }, 120_000);

  const admin = {
    get: (url: string) =>
      request(server)
        .get(`/api/contest${url}`)
        .set('Authorization', mockCredentials.user.header()),
    post: (url: string, body: object) =>
      request(server)
        .post(`/api/contest${url}`)
        .set('Authorization', mockCredentials.user.header())
        .send(body),
  };

  it('starts each demo instanced challenge, reaches it through the gateway over HTTP, TCP and TCP over WebSocket, solves it, and stops it', async () => {
    // The catalog has processed the demo challenges.
    await eventually(
      () =>
        request(server)
          .get('/api/catalog/entities/by-query?filter=kind=challenge')
          .set('Authorization', mockCredentials.user.header()),
      r => r.status === 200 && r.body.items?.length >= 4,
    );
    const now = Date.now();
    expect(
      (
        await admin.post('/admin/contests', {
          slug: 'e2e',
          name: 'E2E',
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
        })
      ).status,
    ).toBe(201);
    for (const name of [
      'web-cookie-jar',
      'tcp-math-oracle',
      'web-team-vault',
    ]) {
      const attached = await admin.post('/admin/contests/e2e/challenges', {
        entityRef: `challenge:default/${name}`,
        hidden: false,
      });
      expect(attached.status).toBe(201);
    }

    const alice = request.agent(server);
    expect(
      (
        await alice
          .post('/api/contest/public/contests/e2e/register')
          .send({ username: 'alice', password: 'alice password 1' })
      ).status,
    ).toBe(201);
    expect(
      (await alice.post('/api/contest/public/teams').send({ name: 'Alices' }))
        .status,
    ).toBe(201);
    const bob = request.agent(server);
    await bob
      .post('/api/contest/public/contests/e2e/register')
      .send({ username: 'bobby', password: 'bob password 12' });
    await bob.post('/api/contest/public/teams').send({ name: 'Bobs' });

    const startAndWait = async (name: string) => {
      const started = await alice.post(
        `/api/contest/public/challenges/${name}/instance`,
      );
      expect(started.status).toBe(202);
      const running = await eventually(
        () => alice.get(`/api/contest/public/challenges/${name}/instance`),
        r => ['RUNNING', 'FAILED'].includes(r.body.instance?.state),
      );
      expect(running.body.instance).toMatchObject({ state: 'RUNNING' });
      return running.body.instance;
    };
    const submit = async (name: string, flag: string) =>
      (
        await alice
          .post(`/api/contest/public/challenges/${name}/submit`)
          .send({ flag })
      ).body;

    // HTTP: the query token becomes a cookie, then the app is reached with it.
    const jar = await startAndWait('web-cookie-jar');
    const url = new URL(jar.access.url);
    const first = await viaGateway(
      ports.http,
      url.host,
      `${url.pathname}${url.search}`,
    );
    expect(first.status).toBe(302);
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    const forged = Buffer.from(
      JSON.stringify({ user: 'admin', admin: true }),
    ).toString('base64');
    const adminPage = await viaGateway(ports.http, url.host, '/admin', {
      cookie: `${cookie}; session=${encodeURIComponent(forged)}`,
    });
    const jarFlag = adminPage.body.match(/flagstage\{[^}]+\}/)![0];
    expect(await submit('web-cookie-jar', jarFlag)).toEqual({
      correct: true,
      alreadySolved: false,
    });

    // Extending before the window opens is refused with the deployment
    // plugin's own sentence (409), not a wrapped upstream error.
    const early = await alice.post(
      '/api/contest/public/challenges/web-cookie-jar/instance/extend',
    );
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/^Extending opens \d+ minutes/);

    // HTTP with a dynamic flag: the instance got this team's FLAG.
    const vault = await startAndWait('web-team-vault');
    const vaultUrl = new URL(vault.access.url);
    const token = vaultUrl.searchParams.get('token')!;
    const notes = await viaGateway(ports.http, vaultUrl.host, '/notes?id=0', {
      authorization: `Bearer ${token}`,
    });
    const vaultFlag = notes.body.match(/flagstage\{[^}]+\}/)![0];
    // Bob submitting Alice's dynamic flag is wrong for Bob.
    expect(
      (
        await bob
          .post('/api/contest/public/challenges/web-team-vault/submit')
          .send({ flag: vaultFlag })
      ).body.correct,
    ).toBe(false);
    expect(await submit('web-team-vault', vaultFlag)).toEqual({
      correct: true,
      alreadySolved: false,
    });

    // TCP (unlocked by the cookie jar): the token is the first line.
    const oracle = await startAndWait('tcp-math-oracle');
    expect(oracle.access).toMatchObject({ protocol: 'tcp', port: ports.tcp });
    const socket = net.connect(ports.tcp, '127.0.0.1');
    socket.write(`${oracle.access.token}\n`);
    const tcpFlag = await solveOracle(
      s => socket.write(s),
      cb => socket.on('data', lines(cb)),
    );
    socket.destroy();
    // TCP over WebSocket reaches the same instance.
    const ws = new WebSocket(
      `ws://127.0.0.1:${ports.http}/tcp?token=${oracle.access.token}`,
      { headers: { host: 'gateway.test' } },
    );
    const wsFlag = await solveOracle(
      s => ws.send(Buffer.from(s)),
      cb => ws.on('message', lines(cb)),
    );
    ws.close();
    expect(wsFlag).toBe(tcpFlag);
    expect(await submit('tcp-math-oracle', tcpFlag)).toEqual({
      correct: true,
      alreadySolved: false,
    });

    // The scoreboard shows Alice's team ahead.
    const board = await eventually(
      () => request(server).get('/api/contest/public/contests/e2e/scoreboard'),
      r => r.body.entries?.[0]?.score > 1000,
    );
    expect(board.body.entries[0].team).toBe('Alices');

    // Stop everything; the child processes are gone and the ports closed.
    const stopAndCheck = async (name: string, id: string) => {
      expect(
        (await alice.delete(`/api/contest/public/challenges/${name}/instance`))
          .status,
      ).toBe(200);
      const after = await eventually(
        () =>
          request(server)
            .get(`/api/deployment/instances/${id}`)
            .set('Authorization', mockCredentials.user.header()),
        r => r.body.state === 'STOPPED',
      );
      expect(after.body.state).toBe('STOPPED');
      const output = await request(server)
        .get(`/api/deployment/instances/${id}/output`)
        .set('Authorization', mockCredentials.user.header());
      expect(output.body.items.map((l: any) => l.line).join('\n')).toMatch(
        /exited with SIGTERM|exited with code/,
      );
    };
    await stopAndCheck('web-cookie-jar', jar.id);
    await stopAndCheck('web-team-vault', vault.id);
    await stopAndCheck('tcp-math-oracle', oracle.id);
    // The stopped instance's cookie is refused, even when its loopback port
    // serves something else now (the local driver reuses ports: another
    // team's later instance could be there).
    const [payload] = cookie.split('=')[1].split('.');
    const { target } = JSON.parse(Buffer.from(payload, 'base64url').toString());
    let reached = false;
    const successor = net.createServer(s => {
      reached = true;
      s.end('HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nB');
    });
    await new Promise<void>(r =>
      successor.listen(Number(target.split(':')[1]), '127.0.0.1', r),
    );
    try {
      const refused = await viaGateway(ports.http, url.host, '/', { cookie });
      expect(refused.status).toBe(403);
      expect(reached).toBe(false);
    } finally {
      await new Promise(r => successor.close(r));
    }
    // The link itself was single-use: opening it again does not trade it.
    const again = await viaGateway(
      ports.http,
      url.host,
      `${url.pathname}${url.search}`,
    );
    expect(again.status).toBe(403);
  });
});
