import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useLocation, useParams } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi, useApiHolder } from '@backstage/frontend-plugin-api';
import {
  InstanceLogs,
  observabilityApiRef,
} from '@flagstage/plugin-observability-react';
import {
  type InstanceOutputLine,
  type InstanceState,
  type InstanceTransition,
  type InstanceView,
  isActiveState,
  type WorkflowStatus,
} from '@flagstage/plugin-deployment-common';
import { deploymentApiRef } from '../api';
import { useInstancesLink } from './links';
import { InstanceActions } from './InstanceActions';
import { LoadError, OutcomeAlert, type ActionOutcome } from './StatusAlerts';
import { StateChip } from './StateChip';
import {
  formatTime,
  relativeTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';
import { DETAIL_REFRESH_MS, OUTPUT_TAIL } from './util';

function Fields(props: { instance: InstanceView }) {
  const i = props.instance;
  const active = isActiveState(i.state);
  const rows: { label: string; value: ReactNode }[] = [
    { label: 'Id', value: <code>{i.id}</code> },
    { label: 'State', value: <StateChip state={i.state} /> },
    ...(i.failureReason
      ? [{ label: 'Failure reason', value: i.failureReason }]
      : []),
    { label: 'Challenge', value: `${i.challenge} (${i.challengeRef})` },
    { label: 'Protocol', value: i.protocol },
    { label: 'Contest', value: i.contestId },
    { label: 'Team', value: i.teamId },
    { label: 'Created', value: formatTime(i.createdAt) },
    { label: 'Updated', value: formatTime(i.updatedAt) },
    {
      label: 'Expires',
      value: `${formatTime(i.expiresAt)}${
        active ? ` (${relativeTime(i.expiresAt)})` : ''
      }`,
    },
    { label: 'Extended', value: `${i.extendCount} time(s)` },
    {
      label: 'Extendable from',
      value: i.extendableFrom ? formatTime(i.extendableFrom) : 'not extendable',
    },
  ];
  return (
    <Table size="small" aria-label="instance fields">
      <TableBody>
        {rows.map(({ label, value }) => (
          <TableRow key={label}>
            <TableCell component="th" scope="row" style={{ width: 160 }}>
              {label}
            </TableCell>
            <TableCell>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The transition timeline: from → to, reason, actor, time. */
export function Timeline(props: { items: InstanceTransition[] }) {
  if (props.items.length === 0)
    return <Typography color="textSecondary">No transitions yet.</Typography>;
  return (
    <Table size="small" aria-label="transitions">
      <TableHead>
        <TableRow>
          <TableCell style={{ whiteSpace: 'nowrap' }}>At</TableCell>
          <TableCell>Transition</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Actor</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map((t, n) => (
          <TableRow key={n}>
            <TableCell>{formatTime(t.at)}</TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {t.from ? <StateChip state={t.from} /> : '∅'} →{' '}
              <StateChip state={t.to} />
            </TableCell>
            <TableCell>{t.reason ?? ''}</TableCell>
            <TableCell>{t.actor ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const STREAM_COLORS: Record<InstanceOutputLine['stream'], string> = {
  stdout: 'inherit',
  stderr: '#ff8a80',
  driver: '#90caf9',
};

/** Captured output, newest last; follows the end unless scrolled up. */
export function OutputLog(props: { items: InstanceOutputLine[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [props.items]);
  if (props.items.length === 0)
    return <Typography color="textSecondary">No output captured.</Typography>;
  return (
    <div
      ref={ref}
      role="log"
      aria-label="output"
      onScroll={e => {
        const el = e.currentTarget;
        atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      }}
      style={{
        maxHeight: 480,
        overflow: 'auto',
        background: '#1e1e1e',
        color: '#e0e0e0',
        padding: 8,
        borderRadius: 4,
        fontFamily: 'monospace',
        fontSize: 12,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
      }}
    >
      {props.items.map((l, n) => (
        <div
          key={n}
          data-stream={l.stream}
          style={{ color: STREAM_COLORS[l.stream] }}
        >
          <span style={{ opacity: 0.6 }}>
            {new Date(l.at).toLocaleTimeString()} {l.stream.padEnd(6)}{' '}
          </span>
          {l.line}
        </div>
      ))}
    </div>
  );
}

/** The Argo start workflow: its phase and each node's phase and message. */
export function WorkflowNodes(props: { workflow: WorkflowStatus }) {
  const w = props.workflow;
  return (
    <>
      <Typography variant="body2" gutterBottom>
        <code>{w.name}</code> · phase <strong>{w.phase}</strong>
        {w.message ? ` · ${w.message}` : ''} · observed{' '}
        {formatTime(w.observedAt)}
      </Typography>
      <Table size="small" aria-label="workflow nodes">
        <TableHead>
          <TableRow>
            <TableCell>Node</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Phase</TableCell>
            <TableCell>Message</TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>Started</TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>Finished</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {w.nodes.map(node => (
            <TableRow key={node.name}>
              <TableCell>{node.displayName}</TableCell>
              <TableCell>{node.type}</TableCell>
              <TableCell>{node.phase}</TableCell>
              <TableCell>{node.message ?? ''}</TableCell>
              <TableCell>
                {node.startedAt ? formatTime(node.startedAt) : ''}
              </TableCell>
              <TableCell>
                {node.finishedAt ? formatTime(node.finishedAt) : ''}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

/**
 * One instance: its fields, Stop and Extend, the transition timeline and
 * the captured output (last 200 lines). Refreshes every 3 s while active.
 */
export function InstanceDetail(props: { refreshMs?: number }) {
  const { id = '' } = useParams();
  const api = useApi(deploymentApiRef);
  const listLink = useInstancesLink();
  const { state: from } = useLocation();
  const listSearch = (from as { listSearch?: unknown } | null)?.listSearch;
  const backLink =
    typeof listSearch === 'string' && listSearch.startsWith('?')
      ? `${listLink}${listSearch}`
      : listLink;
  const [outcome, setOutcome] = useState<ActionOutcome>();
  const refreshMs = props.refreshMs ?? DETAIL_REFRESH_MS;

  // The instance itself polls while the last state seen is active.
  const [seen, setSeen] = useState<InstanceState>();
  const instance = usePolledData(
    () => api.getInstance(id),
    [api, id],
    !seen || isActiveState(seen) ? refreshMs : undefined,
  );
  const i = instance.value;
  const state = i?.state;
  useEffect(() => setSeen(state), [state]);
  const active = !state || isActiveState(state);
  // A state change reloads the timeline and output at once, so their last
  // entries are there even after polling stops in a final state.
  const transitions = usePolledData(
    () => api.getTransitions(id),
    [api, id, state],
    active ? refreshMs : undefined,
  );
  const output = usePolledData(
    () => api.getOutput(id, OUTPUT_TAIL),
    [api, id, state],
    active ? refreshMs : undefined,
  );

  // The Kubernetes driver's start workflow; absent with the local driver.
  const workflow = usePolledData(
    () => api.getWorkflow(id),
    [api, id, state],
    active ? refreshMs : undefined,
  );
  const wf = workflow.value?.workflow;
  const hasLogViews = Boolean(useApiHolder().get(observabilityApiRef));

  return (
    <>
      <Box mb={2}>
        <Link to={backLink}>← All instances</Link>
      </Box>
      {instance.loading && !i && <Progress />}
      <LoadError what={`instance ${id}`} error={instance.error} mb={2} />
      {i && (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <InfoCard
              title={`${i.challenge} · team ${i.teamId}`}
              subheader={
                instance.at
                  ? `Updated ${instance.at.toLocaleTimeString()}${
                      active ? ' · refreshing every 3 s' : ''
                    }`
                  : undefined
              }
            >
              <Box display="flex" justifyContent="flex-end" mb={1}>
                <InstanceActions
                  instance={i}
                  onOutcome={setOutcome}
                  onChanged={() => {
                    instance.refresh();
                    transitions.refresh();
                  }}
                />
              </Box>
              <OutcomeAlert
                outcome={outcome}
                onClose={() => setOutcome(undefined)}
              />
              <Fields instance={i} />
            </InfoCard>
          </Grid>
          {wf && (
            <Grid item xs={12}>
              <InfoCard title="Workflow">
                <WorkflowNodes workflow={wf} />
              </InfoCard>
            </Grid>
          )}
          {wf && hasLogViews && (
            // On Kubernetes: the workflow's and the pod's logs, and a Loki
            // search for the instance (the observability plugin).
            <Grid item xs={12}>
              <InstanceLogs instanceId={id} />
            </Grid>
          )}
          <Grid item xs={12}>
            <InfoCard title="Timeline">
              <LoadError what="the timeline" error={transitions.error} mb={0} />
              {transitions.value && (
                <Timeline items={transitions.value.items} />
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard
              title="Output"
              subheader={`stdout, stderr and driver lines; the last ${OUTPUT_TAIL}`}
            >
              <LoadError what="the output" error={output.error} mb={0} />
              {output.value && <OutputLog items={output.value.items} />}
            </InfoCard>
          </Grid>
        </Grid>
      )}
    </>
  );
}
