import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import {
  DEFAULT_GATEWAY_LIMITS,
  type GatewayLimits,
  type GatewayTokenClaims,
} from '@flagstage/plugin-gateway-common';
import { signGatewayToken } from '@flagstage/plugin-gateway-node';
import type { GatewayConfig } from '../config';
import type { Gateway } from '../gateway';

export const DOMAIN = 'gateway.test';
export const KEY = { kid: 'test-1', secret: randomBytes(32) };

/** A real upstream on loopback: HTTP echo (JSON of what it received), WebSocket echo, and a TCP echo. */
export async function startUpstreams() {
  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith('/big')) {
        const size = Number(req.url.split('=')[1] ?? 1_000_000);
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': size,
        });
        res.end(Buffer.alloc(size, 7));
        return;
      }
      const text = JSON.stringify({
        method: req.method,
        url: req.url,
        headers: req.headers,
        bodyLength: body.length,
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': 'app=1; Path=/',
      });
      res.end(text);
    });
  });
  const wss = new WebSocketServer({ server: httpServer });
  wss.on('connection', (ws, req) => {
    // `/headers` answers with the upgrade request's headers, as the instance saw them.
    ws.send(
      req.url === '/headers' ? JSON.stringify(req.headers) : `hello ${req.url}`,
    );
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  httpServer.listen(0, '127.0.0.1');
  const tcpServer = net.createServer(socket => {
    socket.write('banner\n');
    socket.pipe(socket);
    socket.on('error', () => {});
  });
  tcpServer.listen(0, '127.0.0.1');
  await Promise.all([
    once(httpServer, 'listening'),
    once(tcpServer, 'listening'),
  ]);
  return {
    httpTarget: `127.0.0.1:${(httpServer.address() as net.AddressInfo).port}`,
    tcpTarget: `127.0.0.1:${(tcpServer.address() as net.AddressInfo).port}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      httpServer.closeAllConnections();
      await Promise.all([
        new Promise(r => httpServer.close(r)),
        new Promise(r => tcpServer.close(r)),
      ]);
    },
  };
}

export function testConfig(
  overrides: Partial<GatewayConfig> = {},
  limits?: Partial<{
    http: Partial<GatewayLimits['http']>;
    tcp: Partial<GatewayLimits['tcp']>;
  }>,
): GatewayConfig {
  return {
    httpHost: '127.0.0.1',
    httpPort: 0,
    tcpHost: '127.0.0.1',
    tcpPort: 0,
    adminHost: '127.0.0.1',
    adminPort: 0,
    domain: DOMAIN,
    secureCookies: false,
    trustProxy: false,
    mode: 'development',
    keys: [KEY],
    // Upstreams listen on loopback ports the OS picks; 127.0.0.1:1 stands for a stopped instance.
    allowedTargets: { cidrs: [], hosts: [], loopbackPorts: [[1, 65535]] },
    limits: {
      http: { ...DEFAULT_GATEWAY_LIMITS.http, ...limits?.http },
      tcp: { ...DEFAULT_GATEWAY_LIMITS.tcp, ...limits?.tcp },
    },
    redisKeyPrefix: '',
    revocationFailureMode: 'open',
    replica: 'test',
    drainSeconds: 1,
    keepAliveTimeoutMs: 5000,
    headersTimeoutMs: 2000,
    requestTimeoutMs: 5000,
    upstreamTimeoutMs: 5000,
    ...overrides,
  };
}

export function token(
  claims: Partial<GatewayTokenClaims> & { target: string },
  key = KEY,
) {
  return signGatewayToken(
    {
      iid: 'inst-1',
      team: 'team-1',
      chal: 'web-cookie-jar',
      proto: 'http',
      exp: Math.floor(Date.now() / 1000) + 600,
      ...claims,
    },
    key,
  );
}

export type Reply = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
};

/** One HTTP request to the gateway with a given Host. */
export function get(
  gateway: Gateway,
  host: string,
  path: string,
  options: {
    headers?: Record<string, string>;
    method?: string;
    body?: Buffer | string;
    agent?: http.Agent;
    localAddress?: string;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: gateway.addresses.http,
        path,
        method: options.method ?? 'GET',
        headers: { host, ...options.headers },
        agent: options.agent ?? false,
        localAddress: options.localAddress,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Collects the gateway's log lines. */
export function logSink() {
  const lines: any[] = [];
  return {
    lines,
    write: (text: string) => {
      for (const line of text.split('\n'))
        if (line) lines.push(JSON.parse(line));
    },
  };
}
