import type { Server } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { once } from 'node:events';
import { GatewayKeyring } from '@flagstage/plugin-gateway-node';
import type { GatewayTokenPayload } from '@flagstage/plugin-gateway-common';
import type { GatewayConfig } from './config';
import { AccessControl } from './accessControl';
import { AccessLog } from './accessLog';
import { ConnectionCaps } from './connectionCaps';
import { GatewayMetrics } from './metrics';
import { LiveConnections } from './liveConnections';
import { TokenBuckets } from './tokenBucket';
import { UpstreamPools } from './upstreamPools';
import type { GatewayDeps } from './gatewayDeps';
import { createHttpServer } from './httpServer';
import { createTcpServer } from './tcpServer';
import { createAdminServer } from './adminServer';
import { RedisSync } from './redisSync';
import { TargetAllowlist } from './targetAllowlist';
import { LinkTokenLedger } from './linkTokens';

/** A running gateway: its servers, state, and addresses (useful with port 0). */
export type Gateway = {
  http: Server;
  tcp: NetServer;
  admin: Server;
  access: AccessControl;
  caps: ConnectionCaps;
  live: LiveConnections;
  metrics: GatewayMetrics;
  redis?: RedisSync;
  addresses: { http: number; tcp: number; admin: number };
  /** Applies limits now (as a Redis change would). */
  applyLimits(): void;
  /** Stops accepting, lets open connections finish for up to `drainSeconds`, then closes the rest. */
  stop(): Promise<void>;
};

export async function startGateway(
  config: GatewayConfig,
  options: { logWrite?: (text: string) => void; defaultMetrics?: boolean } = {},
): Promise<Gateway> {
  const log = new AccessLog(options.logWrite);
  const metrics = new GatewayMetrics(options.defaultMetrics ?? true);
  const access = new AccessControl(
    new GatewayKeyring(config.keys),
    config.limits,
    config.revocationFailureMode,
    new TargetAllowlist(config.allowedTargets),
  );
  const caps = new ConnectionCaps(config.limits.tcp);
  const perToken = new TokenBuckets(
    config.limits.http.perTokenRps,
    config.limits.http.perTokenBurst,
  );
  const perIp = new TokenBuckets(
    config.limits.http.perIpRps,
    config.limits.http.perIpBurst,
  );
  const invalidTokens = new TokenBuckets(
    config.limits.tcp.invalidTokensPerIpPerMinute / 60,
    config.limits.tcp.invalidTokensPerIpPerMinute,
  );
  const live = new LiveConnections();
  const pools = new UpstreamPools(config.upstreamTimeoutMs);
  const links = new LinkTokenLedger();
  let draining = false;

  const applyLimits = () => {
    const l = access.limits;
    caps.configure(l.tcp);
    perToken.configure(l.http.perTokenRps, l.http.perTokenBurst);
    perIp.configure(l.http.perIpRps, l.http.perIpBurst);
    invalidTokens.configure(
      l.tcp.invalidTokensPerIpPerMinute / 60,
      l.tcp.invalidTokensPerIpPerMinute,
    );
  };
  access.onRevocationsChanged(() => {
    const closed = live.closeWhere(c =>
      access.isRevoked({
        payload: { iid: c.iid, team: c.team } as GatewayTokenPayload,
        tokenId: c.tokenId,
      }),
    );
    if (closed > 0) log.event('info', 'Closed revoked connections', { closed });
  });

  const deps: GatewayDeps = {
    config,
    access,
    perToken,
    perIp,
    invalidTokens,
    caps,
    log,
    metrics,
    live,
    pools,
    links,
    isDraining: () => draining,
  };
  const http = createHttpServer(deps);
  const tcp = createTcpServer(deps);
  const admin = createAdminServer(metrics, {
    ready: () => !draining,
    redisConfigured: () => Boolean(config.redisUrl),
  });

  const sockets = new Set<Socket>();
  for (const server of [http, tcp]) {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  }

  let redis: RedisSync | undefined;
  if (config.redisUrl) {
    redis = new RedisSync(
      config.redisUrl,
      config.redisKeyPrefix,
      config.replica,
      access,
      live,
      log,
      metrics,
      applyLimits,
    );
    await redis.start();
    links.useShared(redis);
  }

  const sweeper = setInterval(() => {
    perToken.sweep();
    perIp.sweep();
    invalidTokens.sweep();
    access.sweep();
    links.sweep();
    pools.sweep();
  }, 10_000);
  sweeper.unref();

  http.listen(config.httpPort, config.httpHost);
  tcp.listen(config.tcpPort, config.tcpHost);
  admin.listen(config.adminPort, config.adminHost);
  await Promise.all([
    once(http, 'listening'),
    once(tcp, 'listening'),
    once(admin, 'listening'),
  ]);
  const port = (s: { address(): any }) =>
    (s.address() as { port: number }).port;
  log.event('info', 'Gateway listening', {
    http: port(http),
    tcp: port(tcp),
    admin: port(admin),
    domain: config.domain,
    replica: config.replica,
    redis: Boolean(config.redisUrl),
  });

  return {
    http,
    tcp,
    admin,
    access,
    caps,
    live,
    metrics,
    redis,
    addresses: { http: port(http), tcp: port(tcp), admin: port(admin) },
    applyLimits,
    async stop() {
      draining = true;
      log.event('info', 'Draining', { open: sockets.size });
      http.close();
      tcp.close();
      http.closeIdleConnections();
      const deadline = Date.now() + config.drainSeconds * 1000;
      while (sockets.size > 0 && Date.now() < deadline) {
        http.closeIdleConnections();
        await new Promise(r => setTimeout(r, 100));
      }
      for (const s of sockets) s.destroy();
      clearInterval(sweeper);
      await redis?.stop();
      await pools.close();
      await new Promise<void>(r => admin.close(() => r()));
      log.event('info', 'Stopped');
      await log.flush();
    },
  };
}
