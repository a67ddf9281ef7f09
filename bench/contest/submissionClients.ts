/* The submissions benchmark's clients: the load script its worker thread runs, and the set-up calls to the public API. */
import http from 'node:http';

/**
 * The clients: each contestant submits in a loop over keep-alive connections,
 * cycling through the six challenges (4 static, 1 regex, 1 dynamic). About
 * one submission in 50 is the right flag; a tenth of the wrong ones on the
 * dynamic challenge have the shape of a dynamic flag (which makes the server
 * look for a team it belongs to: the shared-flag check).
 */
export const LOAD_SCRIPT = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { port, cookies, flags, teamFlags, seconds, rate } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: cookies.length });
const call = (path, body, cookie) => new Promise((resolve, reject) => {
  const data = JSON.stringify(body);
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/contest/public' + path, agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), cookie } }, res => {
    let text = ''; res.on('data', c => (text += c)); res.on('end', () => resolve({ status: res.statusCode, body: text }));
  });
  req.on('error', reject); req.end(data);
});
const NAMES = ['static-0', 'static-1', 'static-2', 'static-3', 'regex', 'dynamic'];
const hex = () => Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
(async () => {
  const latencies = []; const statuses = new Map(); const pairs = new Set(); const errors = [];
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  // rate > 0: open loop, each contestant paced so that all together send \`rate\` a second.
  const gap = rate > 0 ? (cookies.length / rate) * 1000 : 0;
  await Promise.all(cookies.map(async (cookie, i) => {
    let n = 0;
    const team = Math.floor(i / 4);
    if (gap) await new Promise(r => setTimeout(r, Math.random() * gap));
    while (Date.now() < deadline) {
      const next = Date.now() + gap;
      n += 1;
      const c = n % NAMES.length;
      const name = NAMES[c];
      const right = (n + i) % 50 === 0;
      let flag;
      if (right) flag = c < 4 ? flags[c] : c === 4 ? 'FLAGSTAGE{re_' + String(i).padStart(4, '0') + '}' : teamFlags[team];
      else if (c === 5 && n % 10 === 5) flag = 'flagstage{' + hex() + '}';
      else flag = 'flagstage{guess_' + i + '_' + n + '}';
      const t0 = process.hrtime.bigint();
      const r = await call('/challenges/' + name + '/submit', { flag }, cookie);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
      if (r.status !== 200 && errors.length < 5) errors.push(r.status + ' ' + r.body.slice(0, 200));
      if (right && r.status === 200) pairs.add(team + '|' + name);
      if (gap) await new Promise(r => setTimeout(r, Math.max(0, Math.min(next, deadline) - Date.now())));
    }
  }));
  agent.destroy();
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  parentPort.postMessage({ latencies, statuses: [...statuses], pairs: [...pairs], errors, elapsed });
})();
`;

/** A response of the public API: status, the session cookie it set (name=value), body. */
export type ApiResponse = { status: number; cookie?: string; body: string };

/** Calls /api/contest/public on the loopback server over a keep-alive agent. */
export function publicApiCaller(port: number, agent: http.Agent) {
  return (
    method: string,
    path: string,
    body: object | undefined,
    cookie?: string,
  ) =>
    new Promise<ApiResponse>((resolve, reject) => {
      const data = body ? JSON.stringify(body) : undefined;
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: `/api/contest/public${path}`,
          agent,
          headers: {
            ...(data
              ? {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(data),
                }
              : {}),
            ...(cookie ? { cookie } : {}),
          },
        },
        res => {
          let text = '';
          res.on('data', c => (text += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              cookie:
                (res.headers['set-cookie']?.[0] ?? '').split(';')[0] ||
                undefined,
              body: text,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(data);
    });
}

/** The response, or an error naming the step when its status is not `status`. */
export async function expectStatus(
  status: number,
  what: string,
  r: Promise<ApiResponse>,
) {
  const res = await r;
  if (res.status !== status)
    throw new Error(`${what}: HTTP ${res.status} ${res.body}`);
  return res;
}
