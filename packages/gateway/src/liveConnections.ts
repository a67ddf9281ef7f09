import type { GatewayLiveConnection } from '@flagstage/plugin-gateway-common';
import type { Access } from './accessControl';

type Live = GatewayLiveConnection & {
  lastSeen: number;
  close?: () => void;
  /** Reads the byte counters from the sockets (no per-chunk bookkeeping). */
  bytes?: () => [number, number];
};

const HTTP_IDLE_MS = 30_000;

/** A connection's report entry as it opens: who, from where, no bytes yet. */
const fresh = (
  id: string,
  proto: GatewayLiveConnection['proto'],
  access: Access,
  clientIp: string,
): GatewayLiveConnection => ({
  id,
  proto,
  iid: access.payload.iid,
  team: access.payload.team,
  chal: access.payload.chal,
  clientIp,
  tokenId: access.tokenId,
  since: new Date().toISOString(),
  bytesIn: 0,
  bytesOut: 0,
});

/**
 * What this replica is serving: open long-lived connections, and HTTP
 * activity aggregated per (token, client IP) while it is recent. Reported to
 * Redis for gateway-admin; also used to close revoked connections.
 */
export class LiveConnections {
  private readonly items = new Map<string, Live>();

  open(
    id: string,
    proto: GatewayLiveConnection['proto'],
    access: Access,
    clientIp: string,
    close: () => void,
    bytes?: () => [number, number],
  ): Live {
    const live: Live = {
      ...fresh(id, proto, access, clientIp),
      lastSeen: Date.now(),
      close,
      bytes,
    };
    this.items.set(id, live);
    return live;
  }

  end(id: string) {
    this.items.delete(id);
  }

  /** Counts an HTTP request's bytes under its (token, IP) session. */
  httpActivity(
    access: Access,
    clientIp: string,
    bytesIn: number,
    bytesOut: number,
  ) {
    const id = `http:${access.tokenId}:${clientIp}`;
    let live = this.items.get(id);
    if (!live) {
      live = { ...fresh(id, 'http', access, clientIp), lastSeen: 0 };
      this.items.set(id, live);
    }
    live.bytesIn += bytesIn;
    live.bytesOut += bytesOut;
    live.lastSeen = Date.now();
  }

  /** Closes every long-lived connection the predicate picks (e.g. revoked ones). */
  closeWhere(pick: (c: GatewayLiveConnection) => boolean): number {
    let closed = 0;
    for (const live of this.items.values()) {
      if (live.close && pick(live)) {
        live.close();
        closed += 1;
      }
    }
    return closed;
  }

  snapshot(now = Date.now()): GatewayLiveConnection[] {
    const out: GatewayLiveConnection[] = [];
    for (const [id, live] of this.items) {
      if (!live.close && now - live.lastSeen > HTTP_IDLE_MS) {
        this.items.delete(id);
        continue;
      }
      if (live.bytes) [live.bytesIn, live.bytesOut] = live.bytes();
      const {
        lastSeen: _lastSeen,
        close: _close,
        bytes: _bytes,
        ...connection
      } = live;
      out.push(connection);
    }
    return out;
  }
}
