import { NotAllowedError } from '@backstage/errors';
import { toBool } from '@flagstage/backend-node';
import type { TeamRow } from '../../database/rows';

/** Banned teams may not act (hints, instances). */
export function assertActiveTeam(team: TeamRow): void {
  if (toBool(team.banned)) throw new NotAllowedError('Your team is banned');
}
