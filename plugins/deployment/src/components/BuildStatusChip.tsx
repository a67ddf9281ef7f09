import Chip from '@material-ui/core/Chip';
import type { BuildStatus } from '@flagstage/plugin-deployment-common';

const COLORS: Record<BuildStatus, string> = {
  QUEUED: '#5c6bc0',
  RUNNING: '#1e88e5',
  SUCCEEDED: '#2e7d32',
  FAILED: '#c62828',
};

/** A build status as a coloured chip (the colours of StateChip's states). */
export function BuildStatusChip(props: { status: BuildStatus }) {
  return (
    <Chip
      size="small"
      label={props.status}
      data-testid="build-status"
      style={{ backgroundColor: COLORS[props.status], color: '#fff' }}
    />
  );
}
