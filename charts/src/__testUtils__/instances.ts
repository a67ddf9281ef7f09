import type { RuntimeStartRequest } from '@flagstage/plugin-deployment-common';

/** A start request for instance `id` (an http challenge). */
export const startRequest = (id: string): RuntimeStartRequest => ({
  instanceId: id,
  contestId: 'c1',
  teamId: `t-${id}`,
  challengeRef: 'challenge:default/web',
  challengeName: 'web',
  runtime: { protocol: 'http', port: 8080, image: 'registry.example/web:1' },
  env: { FLAG: `flagstage{${id}}` },
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
});

/** Polls until `done` holds (10 s at most). */
export async function waitFor(done: () => boolean, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise(r => setTimeout(r, 20));
  }
}
