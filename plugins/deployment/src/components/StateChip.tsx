import Chip from '@material-ui/core/Chip';
import type {
  BuildStatus,
  InstanceState,
} from '@flagstage/plugin-deployment-common';

const STATE_COLORS: Record<InstanceState, string> = {
  REQUESTED: '#607d8b',
  QUEUED: '#5c6bc0',
  DEPLOYING: '#1e88e5',
  RUNNING: '#2e7d32',
  STOPPING: '#ef6c00',
  STOPPED: '#757575',
  FAILED: '#c62828',
  EXPIRED: '#8d6e63',
};

// A build in progress is blue like DEPLOYING; done, green like RUNNING.
const BUILD_COLORS: Record<BuildStatus, string> = {
  QUEUED: STATE_COLORS.QUEUED,
  RUNNING: STATE_COLORS.DEPLOYING,
  SUCCEEDED: STATE_COLORS.RUNNING,
  FAILED: STATE_COLORS.FAILED,
};

function StatusChip(props: { label: string; color: string; testId: string }) {
  return (
    <Chip
      size="small"
      label={props.label}
      data-testid={props.testId}
      style={{ backgroundColor: props.color, color: '#fff' }}
    />
  );
}

/** An instance state as a coloured chip. */
export function StateChip(props: { state: InstanceState }) {
  return (
    <StatusChip
      label={props.state}
      color={STATE_COLORS[props.state]}
      testId="instance-state"
    />
  );
}

/** A build status as a coloured chip (the colours of the instance states). */
export function BuildStatusChip(props: { status: BuildStatus }) {
  return (
    <StatusChip
      label={props.status}
      color={BUILD_COLORS[props.status]}
      testId="build-status"
    />
  );
}
