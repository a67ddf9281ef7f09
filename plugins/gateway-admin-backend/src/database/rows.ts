import type { DbTimestamp } from '@flagstage/backend-node';

/** Row shapes of the gateway-admin tables. */
export type LimitsRow = {
  version: number;
  limits: string;
  created_by: string;
  created_at: DbTimestamp;
};

export type RevocationRow = {
  id: number;
  scope: string;
  value: string;
  reason: string | null;
  created_by: string;
  created_at: DbTimestamp;
};
