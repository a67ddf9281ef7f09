import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  buildCreatePermission,
  type BuildStatus,
  type BuildView,
} from '@flagstage/plugin-deployment-common';
import { deploymentApiRef } from '../api';
import { BuildStatusChip } from './StateChip';
import { LoadError, OutcomeAlert, type ActionOutcome } from './StatusAlerts';
import {
  errorText,
  formatTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';
import { BUILD_REFRESH_MS } from './util';

/** What happened to the last Build image click. */

/** A build the worker or the workflow is still on. */
export function isActiveBuild(status: BuildStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

/**
 * Whether the challenge declares `spec.runtime.build` (what the backend
 * builds from). Read loosely: the catalog hands any entity to the card.
 */
export function hasBuildSection(entity: Entity): boolean {
  const runtime = (entity.spec as { runtime?: { build?: unknown } } | undefined)
    ?.runtime;
  return Boolean(runtime?.build);
}

function BuildsTable(props: { items: BuildView[] }) {
  return (
    <Table size="small" aria-label="builds">
      <TableHead>
        <TableRow>
          <TableCell>Status</TableCell>
          <TableCell>Image</TableCell>
          <TableCell>Workflow</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Requested by</TableCell>
          <TableCell style={{ whiteSpace: 'nowrap' }}>Created</TableCell>
          <TableCell style={{ whiteSpace: 'nowrap' }}>Finished</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(b => (
          <TableRow key={b.id}>
            <TableCell>
              <BuildStatusChip status={b.status} />
            </TableCell>
            <TableCell>{b.image ? <code>{b.image}</code> : ''}</TableCell>
            <TableCell>{b.workflow ? <code>{b.workflow}</code> : ''}</TableCell>
            <TableCell>{b.message ?? ''}</TableCell>
            <TableCell>{b.requestedBy}</TableCell>
            <TableCell>{formatTime(b.createdAt)}</TableCell>
            <TableCell>{formatTime(b.finishedAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The builds of one challenge that has a build section. */
function Builds(props: { challengeRef: string; refreshMs: number }) {
  const { challengeRef, refreshMs } = props;
  const api = useApi(deploymentApiRef);
  const { allowed: canBuild } = usePermission({
    permission: buildCreatePermission,
  });
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome>();

  const [polling, setPolling] = useState(false);
  const builds = usePolledData(
    () => api.listBuilds(challengeRef),
    [api, challengeRef],
    polling ? refreshMs : undefined,
  );
  const items = builds.value?.items;
  const active = items?.some(b => isActiveBuild(b.status)) ?? false;
  // Poll only while the last list seen has a build in progress; derived
  // during render (no effect) so polling starts with the list that shows it.
  if (active !== polling) setPolling(active);

  const start = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const build = await api.startBuild(challengeRef);
      setOutcome({
        severity: 'success',
        text: `Build ${build.id} queued.`,
      });
    } catch (e) {
      setOutcome({ severity: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
    // After a refusal too: a 409 means a build started elsewhere.
    await builds.refresh();
  };

  let title = 'Build and push this challenge’s image';
  if (!canBuild) title = 'You may not build challenge images';
  else if (active) title = 'A build of this challenge is in progress';

  return (
    <>
      <Box display="flex" justifyContent="space-between" mb={1}>
        <Typography variant="body2" color="textSecondary">
          {builds.at
            ? `Updated ${builds.at.toLocaleTimeString()}${
                active ? ` · refreshing every ${refreshMs / 1000} s` : ''
              }`
            : ''}
        </Typography>
        <span title={title}>
          <Button
            variant="contained"
            color="primary"
            size="small"
            disabled={!canBuild || busy || active}
            onClick={start}
          >
            Build image
          </Button>
        </span>
      </Box>
      <OutcomeAlert outcome={outcome} onClose={() => setOutcome(undefined)} />
      <LoadError what="the builds" error={builds.error} />
      {builds.loading && !items && <Progress />}
      {items && items.length === 0 && (
        <Typography color="textSecondary">
          No builds yet. Builds need the Kubernetes driver
          (deploymentWorker.driver: kubernetes) and a registry.
        </Typography>
      )}
      {items && items.length > 0 && <BuildsTable items={items} />}
    </>
  );
}

/**
 * The "Builds" card of a Challenge entity: its image builds, newest first
 * (the last 20), refreshed every 5 s while one is QUEUED or RUNNING, and a
 * "Build image" button for those allowed to build.
 */
export function ChallengeBuildsCard(props: { refreshMs?: number }) {
  const { entity } = useEntity();
  return (
    <InfoCard title="Builds">
      {hasBuildSection(entity) ? (
        <Builds
          challengeRef={stringifyEntityRef(entity)}
          refreshMs={props.refreshMs ?? BUILD_REFRESH_MS}
        />
      ) : (
        <Typography color="textSecondary">
          This challenge has no build section (spec.runtime.build), so there is
          no image to build.
        </Typography>
      )}
    </InfoCard>
  );
}
