import type { InstanceAccess } from '@flagstage/plugin-deployment-common';
import { signGatewayToken } from '@flagstage/plugin-gateway-node';
import { parseTraceparent } from '@flagstage/plugin-observability-node';
import { toEpochMs } from '@flagstage/backend-node';
import type { DeploymentConfig } from '../config';
import type { InstanceRow } from '../database/InstanceStore';

/** Mints the access link or commands for a RUNNING instance with the newest gateway key. */
export function accessFor(
  row: InstanceRow,
  gateway: DeploymentConfig['gateway'],
  now = Date.now(),
): InstanceAccess | undefined {
  if (row.state !== 'RUNNING' || !row.endpoint || gateway.keys.length === 0)
    return undefined;
  const key = gateway.keys[0];
  const instanceExpiry = Math.floor(toEpochMs(row.expires_at) / 1000);
  const exp = Math.min(
    instanceExpiry,
    Math.floor(now / 1000) + gateway.tokenTtlSeconds,
  );
  const token = signGatewayToken(
    {
      iid: row.id,
      team: row.team_id,
      chal: row.challenge_name,
      proto: row.protocol,
      target: row.endpoint,
      exp,
      tr: parseTraceparent(row.traceparent)?.traceId,
    },
    { kid: key.kid, secret: Buffer.from(key.secret, 'base64') },
  );
  const expiresAt = new Date(exp * 1000).toISOString();
  if (row.protocol === 'http') {
    const base = gateway.httpUrlTemplate.replace('{instance}', row.id);
    return { protocol: 'http', url: `${base}/?token=${token}`, expiresAt };
  }
  return {
    protocol: 'tcp',
    token,
    host: gateway.tcpHost,
    port: gateway.tcpPort,
    command: `{ echo '${token}'; cat; } | nc ${gateway.tcpHost} ${gateway.tcpPort}`,
    websocketCommand: `websocat --binary '${gateway.wsTcpUrl}?token=${token}'`,
    expiresAt,
  };
}
