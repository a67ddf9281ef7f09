import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { gatewayAdminApiRef } from '../api';
import {
  errorText,
  formatBytes,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/** How often live data refreshes. */
export const LIVE_REFRESH_MS = 5000;

/** Live connections across gateway replicas, filtered by instance and team, refreshed every 5 s. */
export function LiveConnections(props: { refreshMs?: number }) {
  const api = useApi(gatewayAdminApiRef);
  const [instance, setInstance] = useState('');
  const [team, setTeam] = useState('');
  const filter = { instance: instance.trim(), team: team.trim() };
  const live = usePolledData(
    () => api.getConnections(filter),
    [api, filter.instance, filter.team],
    props.refreshMs ?? LIVE_REFRESH_MS,
  );
  const data = live.value;

  return (
    <InfoCard
      title="Live connections"
      subheader={
        live.at
          ? `Updated ${live.at.toLocaleTimeString()} · ${
              data?.replicas.length ?? 0
            } gateway replica(s) reporting`
          : undefined
      }
    >
      <Box display="flex" style={{ gap: 8 }} mb={1}>
        <TextField
          variant="outlined"
          size="small"
          label="Instance"
          id="filter-instance"
          value={instance}
          onChange={e => setInstance(e.target.value)}
        />
        <TextField
          variant="outlined"
          size="small"
          label="Team"
          id="filter-team"
          value={team}
          onChange={e => setTeam(e.target.value)}
        />
      </Box>
      {live.loading && !data && <Progress />}
      {Boolean(live.error) && (
        <Alert severity="error">
          Could not load live connections: {errorText(live.error)}
        </Alert>
      )}
      {data && !data.available && (
        <Alert severity="info" data-testid="connections-note">
          {data.note ?? 'Live connections are not available.'}
        </Alert>
      )}
      {data && data.available && data.connections.length === 0 && (
        <Typography color="textSecondary">
          No live connections{filter.instance || filter.team ? ' match' : ''}.
        </Typography>
      )}
      {data && data.connections.length > 0 && (
        <Table size="small" aria-label="live connections">
          <TableHead>
            <TableRow>
              <TableCell>Replica</TableCell>
              <TableCell>Protocol</TableCell>
              <TableCell>Instance</TableCell>
              <TableCell>Team</TableCell>
              <TableCell>Challenge</TableCell>
              <TableCell>Client IP</TableCell>
              <TableCell>Token id</TableCell>
              <TableCell>Since</TableCell>
              <TableCell align="right">In</TableCell>
              <TableCell align="right">Out</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.connections.map(c => (
              <TableRow key={`${c.replica}/${c.id}`}>
                <TableCell>{c.replica}</TableCell>
                <TableCell>{c.proto}</TableCell>
                <TableCell>{c.iid}</TableCell>
                <TableCell>{c.team}</TableCell>
                <TableCell>{c.chal}</TableCell>
                <TableCell>{c.clientIp}</TableCell>
                <TableCell title={c.tokenId}>
                  <code>{c.tokenId.slice(0, 8)}…</code>
                </TableCell>
                <TableCell>{new Date(c.since).toLocaleTimeString()}</TableCell>
                <TableCell align="right">{formatBytes(c.bytesIn)}</TableCell>
                <TableCell align="right">{formatBytes(c.bytesOut)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
