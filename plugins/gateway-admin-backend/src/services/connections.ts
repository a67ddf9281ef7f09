import { z } from 'zod';
import type {
  GatewayConnectionItem,
  GatewayConnectionsResponse,
  GatewayReplicaReport,
  GatewayTopTalkersResponse,
} from '@flagstage/plugin-gateway-admin-common';

const count = z.number().finite().min(0);
const connectionSchema = z.object({
  id: z.string(),
  proto: z.string(),
  iid: z.string(),
  team: z.string(),
  chal: z.string(),
  clientIp: z.string(),
  tokenId: z.string(),
  since: z.string(),
  bytesIn: count,
  bytesOut: count,
});
const reportSchema = z.object({
  replica: z.string().optional(),
  at: z.string(),
  connections: z.array(z.unknown()),
});

/** A replica's report as read: connections that do not fit the contract are dropped. */
export type ParsedReport = {
  replica: string;
  at: string;
  connections: GatewayConnectionItem[];
  dropped: number;
};

/**
 * Parses one `GatewayConnectionsReport` read from `key`. The replica name
 * is the report's own, or the key's suffix. Undefined when it is not a report.
 */
export function parseReport(
  key: string,
  raw: string,
  keyPrefix: string,
): ParsedReport | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const report = reportSchema.safeParse(json);
  if (!report.success) return undefined;
  const replica = report.data.replica || key.slice(keyPrefix.length);
  const connections: GatewayConnectionItem[] = [];
  let dropped = 0;
  for (const item of report.data.connections) {
    const c = connectionSchema.safeParse(item);
    if (c.success) connections.push({ ...c.data, replica });
    else dropped += 1;
  }
  return { replica, at: report.data.at, connections, dropped };
}

/** Merges replica reports; `instance` and `team` filter by exact id. Busiest first. */
export function mergeReports(
  reports: ParsedReport[],
  filter: { instance?: string; team?: string },
): Pick<GatewayConnectionsResponse, 'replicas' | 'connections'> {
  const replicas: GatewayReplicaReport[] = reports
    .map(r => ({
      replica: r.replica,
      at: r.at,
      connections: r.connections.length,
    }))
    .sort((a, b) => a.replica.localeCompare(b.replica));
  const connections = reports
    .flatMap(r => r.connections)
    .filter(
      c =>
        (!filter.instance || c.iid === filter.instance) &&
        (!filter.team || c.team === filter.team),
    )
    .sort(
      (a, b) =>
        b.bytesIn + b.bytesOut - (a.bytesIn + a.bytesOut) ||
        a.replica.localeCompare(b.replica) ||
        a.id.localeCompare(b.id),
    );
  return { replicas, connections };
}

/** Teams and instances ranked by bytes in + out over their live connections. */
export function rankTalkers(
  connections: GatewayConnectionItem[],
  limit: number,
): Pick<GatewayTopTalkersResponse, 'teams' | 'instances'> {
  const teams = new Map<
    string,
    GatewayTopTalkersResponse['teams'][number] & { iids: Set<string> }
  >();
  const instances = new Map<
    string,
    GatewayTopTalkersResponse['instances'][number]
  >();
  for (const c of connections) {
    const team = teams.get(c.team) ?? {
      team: c.team,
      bytesIn: 0,
      bytesOut: 0,
      bytes: 0,
      connections: 0,
      instances: 0,
      iids: new Set<string>(),
    };
    team.bytesIn += c.bytesIn;
    team.bytesOut += c.bytesOut;
    team.bytes += c.bytesIn + c.bytesOut;
    team.connections += 1;
    team.iids.add(c.iid);
    team.instances = team.iids.size;
    teams.set(c.team, team);

    const instance = instances.get(c.iid) ?? {
      iid: c.iid,
      team: c.team,
      chal: c.chal,
      bytesIn: 0,
      bytesOut: 0,
      bytes: 0,
      connections: 0,
    };
    instance.bytesIn += c.bytesIn;
    instance.bytesOut += c.bytesOut;
    instance.bytes += c.bytesIn + c.bytesOut;
    instance.connections += 1;
    instances.set(c.iid, instance);
  }
  const byBytes = <T extends { bytes: number }>(
    list: T[],
    name: (t: T) => string,
  ) =>
    list
      .sort((a, b) => b.bytes - a.bytes || name(a).localeCompare(name(b)))
      .slice(0, limit);
  return {
    teams: byBytes([...teams.values()], t => t.team).map(
      ({ iids: _iids, ...t }) => t,
    ),
    instances: byBytes([...instances.values()], i => i.iid),
  };
}
