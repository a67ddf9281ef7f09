import type { GatewayLimits } from '@flagstage/plugin-gateway-common';

export type CapRefusal = 'total' | 'per_ip' | 'per_token';

/**
 * Counts open long-lived connections (TCP, TCP over WebSocket, WebSocket)
 * in total, per client IP and per token. `acquire` checks and counts in one
 * synchronous step, so concurrent connections cannot slip past a cap.
 */
export class ConnectionCaps {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private readonly perToken = new Map<string, number>();
  private readonly unauthenticated = new Map<string, number>();

  constructor(private limits: GatewayLimits['tcp']) {}

  configure(limits: GatewayLimits['tcp']) {
    this.limits = limits;
  }

  acquire(ip: string, tokenId: string): CapRefusal | (() => void) {
    if (this.total >= this.limits.maxConnections) return 'total';
    const ipCount = this.perIp.get(ip) ?? 0;
    if (ipCount >= this.limits.maxConnectionsPerIp) return 'per_ip';
    const tokenCount = this.perToken.get(tokenId) ?? 0;
    if (tokenCount >= this.limits.maxConnectionsPerToken) return 'per_token';
    this.total += 1;
    this.perIp.set(ip, ipCount + 1);
    this.perToken.set(tokenId, tokenCount + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      decrement(this.perIp, ip);
      decrement(this.perToken, tokenId);
    };
  }

  /**
   * Counts a raw TCP connection from `ip` at accept time, until it has
   * authenticated or closed; undefined when the address already holds
   * `maxUnauthenticatedPerIp` of them.
   */
  acquireUnauthenticated(ip: string): (() => void) | undefined {
    const count = this.unauthenticated.get(ip) ?? 0;
    if (count >= this.limits.maxUnauthenticatedPerIp) return undefined;
    this.unauthenticated.set(ip, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      decrement(this.unauthenticated, ip);
    };
  }

  get open() {
    return this.total;
  }
}

function decrement(map: Map<string, number>, key: string) {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
