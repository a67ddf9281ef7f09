import Chip from '@material-ui/core/Chip';
import type { InstanceState } from '@flagstage/plugin-deployment-common';

const COLORS: Record<InstanceState, string> = {
  REQUESTED: '#607d8b',
  QUEUED: '#5c6bc0',
  DEPLOYING: '#1e88e5',
  RUNNING: '#2e7d32',
  STOPPING: '#ef6c00',
  STOPPED: '#757575',
  FAILED: '#c62828',
  EXPIRED: '#8d6e63',
};

/** An instance state as a coloured chip. */
export function StateChip(props: { state: InstanceState }) {
  return (
    <Chip
      size="small"
      label={props.state}
      data-testid="instance-state"
      style={{ backgroundColor: COLORS[props.state], color: '#fff' }}
    />
  );
}
