import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  INSTANCE_STATES,
  type InstanceState,
} from '@flagstage/plugin-deployment-common';
import { deploymentApiRef } from '../api';
import { usePolledData } from '@flagstage/plugin-flagstage-react';
import { LoadError } from './StatusAlerts';
import { LIST_REFRESH_MS } from './util';

function Card(props: {
  label: string;
  value: number | undefined;
  warn?: boolean;
  selected?: boolean;
  onClick?: () => void;
}) {
  const { label, value, warn, selected, onClick } = props;
  let borderColor: string | undefined;
  if (warn) borderColor = '#c62828';
  else if (selected) borderColor = '#1e88e5';
  return (
    <Paper
      role="group"
      aria-label={label}
      variant="outlined"
      onClick={onClick}
      style={{
        padding: '8px 16px',
        minWidth: 110,
        cursor: onClick ? 'pointer' : undefined,
        borderColor,
        borderWidth: borderColor ? 2 : undefined,
      }}
    >
      <Typography variant="caption" color="textSecondary">
        {label}
      </Typography>
      <Typography
        variant="h5"
        data-testid="count"
        style={warn ? { color: '#c62828' } : undefined}
      >
        {value ?? '–'}
      </Typography>
    </Paper>
  );
}

/**
 * Instances per state and the deploy queue (jobs waiting, dead letters),
 * refreshed every 5 s. Clicking a state card filters the list by it.
 */
export function QueueCards(props: {
  refreshMs?: number;
  selectedStates?: InstanceState[];
  onSelectState?: (state: InstanceState) => void;
}) {
  const api = useApi(deploymentApiRef);
  const queue = usePolledData(
    () => api.getQueue(),
    [api],
    props.refreshMs ?? LIST_REFRESH_MS,
  );
  const data = queue.value;
  const { onSelectState, selectedStates } = props;

  return (
    <Box>
      <LoadError what="the queue" error={queue.error} />
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {INSTANCE_STATES.map(s => (
          <Card
            key={s}
            label={s}
            value={data ? data.instances[s] ?? 0 : undefined}
            selected={selectedStates?.includes(s)}
            onClick={onSelectState ? () => onSelectState(s) : undefined}
          />
        ))}
        <Card label="Queue: ready" value={data?.ready} />
        <Card
          label="Queue: dead letters"
          value={data?.dead}
          warn={Boolean(data && data.dead > 0)}
        />
      </Box>
      {queue.at && (
        <Box mt={0.5}>
          <Typography variant="caption" color="textSecondary">
            Updated {queue.at.toLocaleTimeString()}
          </Typography>
        </Box>
      )}
    </Box>
  );
}
