import { useState } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import ListItemText from '@material-ui/core/ListItemText';
import MuiLink from '@material-ui/core/Link';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  INSTANCE_STATES,
  type InstanceFilter,
  type InstanceState,
  isActiveState,
} from '@flagstage/plugin-deployment-common';
import { deploymentApiRef } from '../api';
import { useInstanceLink } from './links';
import { InstanceActions } from './InstanceActions';
import { LoadError, OutcomeAlert, type ActionOutcome } from './StatusAlerts';
import { QueueCards } from './QueueCards';
import { StateChip } from './StateChip';
import {
  formatTime,
  relativeTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';
import { LIST_REFRESH_MS } from './util';

/** Most instances listed at once (newest first). */
export const LIST_LIMIT = 200;

const TEXT_FILTERS = [
  { key: 'contestId', label: 'Contest id' },
  { key: 'teamId', label: 'Team id' },
  { key: 'challengeRef', label: 'Challenge ref' },
] as const;

/**
 * Contest and team ids are UUIDs: shown shortened (the full id in the
 * tooltip); a click filters the list by it.
 */
function IdFilterButton(props: {
  kind: 'contest' | 'team';
  id: string;
  onClick: () => void;
}) {
  return (
    <MuiLink
      component="button"
      variant="body2"
      title={`${props.id} (click to filter by this ${props.kind})`}
      aria-label={`Filter by ${props.kind} ${props.id}`}
      onClick={props.onClick}
      style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}
    >
      {props.id.length > 12 ? `${props.id.slice(0, 8)}…` : props.id}
    </MuiLink>
  );
}

/** The filters live in the URL (`?contestId=…&state=RUNNING,FAILED`), so they survive visiting an instance. */
function useFilter() {
  const [params, setParams] = useSearchParams();
  const states = (params.get('state') ?? '')
    .split(',')
    .filter((s): s is InstanceState =>
      (INSTANCE_STATES as readonly string[]).includes(s),
    );
  const filter = {
    contestId: params.get('contestId') ?? '',
    teamId: params.get('teamId') ?? '',
    challengeRef: params.get('challengeRef') ?? '',
    states,
  };
  const update = (patch: Partial<typeof filter>) => {
    const next = { ...filter, ...patch };
    const query: Record<string, string> = {};
    for (const { key } of TEXT_FILTERS) if (next[key]) query[key] = next[key];
    if (next.states.length) query.state = next.states.join(',');
    setParams(query, { replace: true });
  };
  return { filter, update };
}

/**
 * The Instances page: counts per state and the queue, and the instance
 * list with filters, live state, Stop and Extend.
 */
export function InstancesOverview(props: { refreshMs?: number }) {
  const api = useApi(deploymentApiRef);
  const instanceLink = useInstanceLink();
  const { filter, update } = useFilter();
  // The detail's back link returns to the list as filtered now.
  const { search } = useLocation();
  const [outcome, setOutcome] = useState<ActionOutcome>();
  const query: InstanceFilter = {
    contestId: filter.contestId.trim(),
    teamId: filter.teamId.trim(),
    challengeRef: filter.challengeRef.trim(),
    states: filter.states,
    limit: LIST_LIMIT,
  };
  const list = usePolledData(
    () => api.listInstances(query),
    [api, JSON.stringify(query)],
    props.refreshMs ?? LIST_REFRESH_MS,
  );
  const items = list.value?.items;
  const filtered =
    Boolean(query.contestId || query.teamId || query.challengeRef) ||
    filter.states.length > 0;

  const toggleState = (s: InstanceState) =>
    update({
      states: filter.states.includes(s)
        ? filter.states.filter(x => x !== s)
        : [...filter.states, s],
    });

  return (
    <>
      <Box mb={3}>
        <QueueCards
          refreshMs={props.refreshMs}
          selectedStates={filter.states}
          onSelectState={toggleState}
        />
      </Box>
      <InfoCard
        title="Instances"
        subheader={
          list.at
            ? `Updated ${list.at.toLocaleTimeString()} · newest first, at most ${LIST_LIMIT}${
                list.value?.nextCursor
                  ? ' · more match: narrow the filters'
                  : ''
              }`
            : undefined
        }
      >
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={1}>
          {TEXT_FILTERS.map(({ key, label }) => (
            <TextField
              key={key}
              variant="outlined"
              size="small"
              label={label}
              id={`filter-${key}`}
              value={filter[key]}
              onChange={e => update({ [key]: e.target.value })}
            />
          ))}
          <TextField
            select
            variant="outlined"
            size="small"
            label="State"
            id="filter-state"
            value={filter.states}
            style={{ minWidth: 200 }}
            SelectProps={{
              multiple: true,
              renderValue: v => (v as string[]).join(', '),
            }}
            onChange={e =>
              update({
                states: INSTANCE_STATES.filter(s =>
                  (e.target.value as unknown as string[]).includes(s),
                ),
              })
            }
          >
            {INSTANCE_STATES.map(s => (
              <MenuItem key={s} value={s}>
                <Checkbox size="small" checked={filter.states.includes(s)} />
                <ListItemText primary={s} />
              </MenuItem>
            ))}
          </TextField>
        </Box>
        <OutcomeAlert outcome={outcome} onClose={() => setOutcome(undefined)} />
        {list.loading && !items && <Progress />}
        <LoadError what="instances" error={list.error} />
        {items && items.length === 0 && (
          <Typography color="textSecondary">
            No instances{filtered ? ' match' : ''}.
          </Typography>
        )}
        {items && items.length > 0 && (
          <Table size="small" aria-label="instances">
            <TableHead>
              <TableRow style={{ whiteSpace: 'nowrap' }}>
                <TableCell>Instance</TableCell>
                <TableCell>Challenge</TableCell>
                <TableCell>Contest</TableCell>
                <TableCell>Team</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Created</TableCell>
                <TableCell>Expires</TableCell>
                <TableCell align="right">Extended</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(i => (
                <TableRow key={i.id}>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    <Link
                      to={instanceLink(i.id)}
                      state={{ listSearch: search }}
                      title={i.id}
                    >
                      <code>{i.id.slice(0, 8)}</code>
                    </Link>
                  </TableCell>
                  <TableCell title={i.challengeRef}>
                    {i.challenge}{' '}
                    <Typography variant="caption" color="textSecondary">
                      {i.protocol}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <IdFilterButton
                      kind="contest"
                      id={i.contestId}
                      onClick={() => update({ contestId: i.contestId })}
                    />
                  </TableCell>
                  <TableCell>
                    <IdFilterButton
                      kind="team"
                      id={i.teamId}
                      onClick={() => update({ teamId: i.teamId })}
                    />
                  </TableCell>
                  <TableCell>
                    <StateChip state={i.state} />
                    {i.failureReason && (
                      <Typography
                        variant="caption"
                        color="error"
                        display="block"
                      >
                        {i.failureReason}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{formatTime(i.createdAt)}</TableCell>
                  <TableCell title={formatTime(i.expiresAt)}>
                    {isActiveState(i.state) ? relativeTime(i.expiresAt) : '–'}
                  </TableCell>
                  <TableCell align="right">{i.extendCount}</TableCell>
                  <TableCell align="right">
                    <InstanceActions
                      instance={i}
                      onOutcome={setOutcome}
                      onChanged={() => list.refresh()}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </InfoCard>
    </>
  );
}
