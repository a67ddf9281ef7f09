#!/usr/bin/env node
/*
 * Gateway benchmark: HTTP keep-alive (wrk, 50 connections) against the upstream
 * directly, through haproxy doing the equivalent proxying (same HMAC token check
 * in its config), and through the Flagstage gateway (token, revocation, rate
 * limit and one JSON log line per request); plus TCP bulk throughput (1 GiB).
 * The proxy under test is pinned to one core; wrk and the upstream share the
 * other. Loopback only; bounded; stops by itself. Prints a table and a JSON line.
 *
 *   yarn bench:gateway            (BENCH_SECONDS=10 BENCH_ROUNDS=3 BENCH_TCP_MB=1024)
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, openSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TCP_MB = Number(process.env.BENCH_TCP_MB ?? 1024);
const PORTS = {
  upstream: 18001,
  haproxy: 18002,
  gateway: 18003,
  gatewayTcp: 18004,
  gatewayAdmin: 18005,
  tcpSink: 18006,
  haproxyTcp: 18007,
};
const DOMAIN = 'gateway.localhost';
const HOST = `inst-1.${DOMAIN}`;
const work = mkdtempSync(path.join(tmpdir(), 'flagstage-bench-gateway-'));
const children = [];
const multiCore = cpus().length >= 2;
const pin = core => (multiCore ? ['taskset', '-c', String(core)] : []);

function which(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
for (const tool of ['wrk', 'haproxy']) {
  if (!which(tool)) {
    console.error(`${tool} is missing: apt-get install -y ${tool}`);
    process.exit(2);
  }
}

function start(cmd, args, env = {}, logName) {
  const [bin, ...rest] = [...cmd, ...args];
  const out = logName ? openSync(path.join(work, logName), 'w') : 'ignore';
  const child = spawn(bin, rest, {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  children.push(child);
  return child;
}
function stopAll() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {}
  }
  if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
setTimeout(() => {
  console.error('benchmark took too long; stopping');
  process.exit(3);
}, (ROUNDS * 3 * (SECONDS + 5) + 300) * 1000).unref();

async function waitPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise(r => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open`);
}

// --- tokens (the format of signGatewayToken in @flagstage/plugin-gateway-node;
// written out here because this script runs on plain Node, without a TypeScript loader)
const secret = randomBytes(32);
function signToken(proto, target) {
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      kid: 'bench',
      iid: 'inst-1',
      team: 'team-1',
      chal: 'bench',
      proto,
      target,
      exp: Math.floor(Date.now() / 1000) + 3600,
    }),
  ).toString('base64url');
  const mac = createHmac('sha256', secret).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}
const token = signToken('http', `127.0.0.1:${PORTS.upstream}`);
const tcpToken = signToken('tcp', `127.0.0.1:${PORTS.tcpSink}`);

// --- processes -------------------------------------------------------------
const upstreamJs = path.join(work, 'upstream.mjs');
writeFileSync(
  upstreamJs,
  `
import http from 'node:http'; import net from 'node:net';
const body = Buffer.alloc(512, 'x');
http.createServer((req, res) => { res.writeHead(200, {'content-type': 'text/plain', 'content-length': body.length}); res.end(body); }).listen(${PORTS.upstream}, '127.0.0.1');
net.createServer({ allowHalfOpen: true }, s => { let n = 0; s.on('data', d => { n += d.length; }); s.on('end', () => s.end(String(n))); s.on('error', () => {}); }).listen(${PORTS.tcpSink}, '127.0.0.1');
`,
);
// haproxy: the same check in config (bearer token: HMAC of the first part equals the second).
const haproxyCfg = path.join(work, 'haproxy.cfg');
writeFileSync(
  haproxyCfg,
  `
global
  nbthread 1
  maxconn 4000
  log stdout format raw local0 info
defaults
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend http_in
  mode http
  bind 127.0.0.1:${PORTS.haproxy}
  option http-keep-alive
  log global
  option httplog
  http-request set-var(txn.tok) req.hdr(authorization),word(2,' ')
  http-request set-var(txn.body) var(txn.tok),field(1,.)
  http-request set-var(txn.sig) var(txn.tok),field(2,.)
  http-request set-var(txn.mac) var(txn.body),hmac(sha256,${secret.toString(
    'base64',
  )}),ub64enc
  http-request deny deny_status 401 unless { var(txn.mac),strcmp(txn.sig) eq 0 }
  default_backend upstream
backend upstream
  mode http
  http-reuse always
  server s1 127.0.0.1:${PORTS.upstream}
frontend tcp_in
  mode tcp
  bind 127.0.0.1:${PORTS.haproxyTcp}
  default_backend tcp_up
backend tcp_up
  mode tcp
  server t1 127.0.0.1:${PORTS.tcpSink}
`,
);

console.log(`bundling the gateway…`);
execFileSync(process.execPath, [
  path.join(root, 'node_modules/esbuild/bin/esbuild'),
  path.join(root, 'packages/gateway/src/main.ts'),
  '--bundle',
  '--platform=node',
  '--target=node22',
  `--outfile=${path.join(work, 'gateway.cjs')}`,
  '--log-level=warning',
]);

start([...pin(1), process.execPath], [upstreamJs]);
start([...pin(0), 'haproxy'], ['-f', haproxyCfg], {}, 'haproxy.log');
start(
  [...pin(0), process.execPath],
  [path.join(work, 'gateway.cjs')],
  {
    GATEWAY_KEYS: `bench:${secret.toString('base64')}`,
    GATEWAY_HTTP_HOST: '127.0.0.1',
    GATEWAY_HTTP_PORT: String(PORTS.gateway),
    GATEWAY_TCP_HOST: '127.0.0.1',
    GATEWAY_TCP_PORT: String(PORTS.gatewayTcp),
    GATEWAY_ADMIN_HOST: '127.0.0.1',
    GATEWAY_ADMIN_PORT: String(PORTS.gatewayAdmin),
    GATEWAY_DOMAIN: DOMAIN,
    // The upstreams' loopback ports: the gateway refuses any target outside its allowlist.
    GATEWAY_ALLOWED_LOOPBACK_PORTS: `${PORTS.upstream},${PORTS.tcpSink}`,
    // Limits high enough not to refuse the benchmark; every check still runs.
    GATEWAY_LIMITS: JSON.stringify({
      http: {
        perTokenRps: 1000000,
        perTokenBurst: 1000000,
        perIpRps: 1000000,
        perIpBurst: 1000000,
      },
    }),
  },
  'gateway.log',
);
await Promise.all(Object.values(PORTS).map(waitPort));

function wrk(port) {
  const out = execFileSync(
    pin(1)[0] ?? 'wrk',
    [
      ...pin(1).slice(1),
      ...(multiCore ? ['wrk'] : []),
      '-t1',
      '-c50',
      `-d${SECONDS}s`,
      '--latency',
      '-H',
      `Host: ${HOST}`,
      '-H',
      `Authorization: Bearer ${token}`,
      `http://127.0.0.1:${port}/`,
    ],
    { encoding: 'utf8' },
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const lat = label => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
  };
  const non2xx = Number(
    /Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0,
  );
  return { rps, p50: lat('50'), p99: lat('99'), non2xx };
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const http = {};
for (const [name, port] of [
  ['direct', PORTS.upstream],
  ['haproxy', PORTS.haproxy],
  ['gateway', PORTS.gateway],
]) {
  wrk(port); // warm-up round (JIT, pools)
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(wrk(port));
  http[name] = {
    rps: median(runs.map(r => r.rps)),
    p50: median(runs.map(r => r.p50)),
    p99: median(runs.map(r => r.p99)),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
  };
}

// The bulk client runs pinned to core 1 (with the sink), like wrk, so the proxy keeps core 0 to itself.
const clientJs = path.join(work, 'bulk-client.mjs');
writeFileSync(
  clientJs,
  `
import net from 'node:net';
const [port, line] = [Number(process.argv[2]), process.argv[3]];
const total = ${TCP_MB} * 1024 * 1024; const chunk = Buffer.alloc(64 * 1024, 1);
const s = net.connect(port, '127.0.0.1'); let started; let answer = '';
s.on('connect', () => {
  if (line) s.write(line + '\\n');
  started = process.hrtime.bigint(); let sent = 0;
  const pump = () => { while (sent < total) { sent += chunk.length; if (!s.write(chunk)) return s.once('drain', pump); } s.end(); };
  pump();
});
s.on('data', d => { answer += d; });
s.on('end', () => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (Number(answer) !== total) { console.error('sink counted ' + (answer || 'nothing') + ', expected ' + total); process.exit(1); }
  console.log(JSON.stringify({ mbps: total / 1048576 / seconds }));
});
s.on('error', e => { console.error(String(e)); process.exit(1); });
`,
);
async function bulk(port, firstLine) {
  const args = [
    ...pin(1),
    process.execPath,
    clientJs,
    String(port),
    ...(firstLine ? [firstLine] : []),
  ];
  const out = execFileSync(args[0], args.slice(1), { encoding: 'utf8' });
  return JSON.parse(out).mbps;
}
const tcp = {};
for (const [name, port, line] of [
  ['direct', PORTS.tcpSink],
  ['haproxy', PORTS.haproxyTcp],
  ['gateway', PORTS.gatewayTcp, tcpToken],
]) {
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await bulk(port, line));
  tcp[name] = { mbps: median(runs) };
}

const ratio = (a, b) => Math.round((a / b) * 100) / 100;
console.log(
  `\nGateway benchmark — ${new Date().toISOString()}, ${cpus().length} CPUs (${
    cpus()[0].model
  }), node ${process.version}`,
);
console.log(
  `HTTP: wrk -t1 -c50 -d${SECONDS}s keep-alive, 512-byte responses, median of ${ROUNDS}; proxy on core 0, wrk + upstream on core 1`,
);
console.log('path       req/s     p50 ms  p99 ms  non-2xx  vs haproxy');
for (const [name, r] of Object.entries(http)) {
  console.log(
    `${name.padEnd(9)} ${r.rps.toFixed(0).padStart(7)}  ${r.p50
      .toFixed(2)
      .padStart(7)} ${r.p99.toFixed(2).padStart(7)}  ${String(
      r.non2xx,
    ).padStart(7)}  ${ratio(r.rps, http.haproxy.rps).toFixed(2)}×`,
  );
}
console.log(
  `TCP bulk: ${TCP_MB} MiB client → proxy → sink, median of ${ROUNDS}`,
);
for (const [name, r] of Object.entries(tcp)) {
  console.log(
    `${name.padEnd(9)} ${r.mbps.toFixed(0).padStart(7)} MiB/s  ${ratio(
      r.mbps,
      tcp.haproxy.mbps,
    ).toFixed(2)}×`,
  );
}
console.log(
  JSON.stringify({
    bench: 'gateway',
    at: new Date().toISOString(),
    cpus: cpus().length,
    seconds: SECONDS,
    rounds: ROUNDS,
    http,
    tcp,
    httpRatio: ratio(http.gateway.rps, http.haproxy.rps),
    tcpRatio: ratio(tcp.gateway.mbps, tcp.haproxy.mbps),
  }),
);
stopAll();
process.exit(0);
