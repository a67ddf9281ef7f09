import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { gatewayAdminApiRef } from '../api';
import { LIVE_REFRESH_MS } from './LiveConnections';
import {
  errorText,
  formatBytes,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/** Teams and instances with the most traffic on live connections. */
export function TopTalkers(props: { refreshMs?: number }) {
  const api = useApi(gatewayAdminApiRef);
  const top = usePolledData(
    () => api.getTopTalkers(10),
    [api],
    props.refreshMs ?? LIVE_REFRESH_MS,
  );
  const data = top.value;
  return (
    <InfoCard
      title="Top talkers"
      subheader="By bytes in + out over live connections"
    >
      {Boolean(top.error) && (
        <Alert severity="error">
          Could not load top talkers: {errorText(top.error)}
        </Alert>
      )}
      {data && !data.available && (
        <Alert severity="info">
          {data.note ?? 'Live data is not available.'}
        </Alert>
      )}
      {data && data.available && (
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <Typography variant="subtitle2">Teams</Typography>
            <Table size="small" aria-label="top teams">
              <TableHead>
                <TableRow>
                  <TableCell>Team</TableCell>
                  <TableCell align="right">Connections</TableCell>
                  <TableCell align="right">Instances</TableCell>
                  <TableCell align="right">Bytes</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.teams.map(t => (
                  <TableRow key={t.team}>
                    <TableCell>{t.team}</TableCell>
                    <TableCell align="right">{t.connections}</TableCell>
                    <TableCell align="right">{t.instances}</TableCell>
                    <TableCell align="right">{formatBytes(t.bytes)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Grid>
          <Grid item xs={12} md={6}>
            <Typography variant="subtitle2">Instances</Typography>
            <Table size="small" aria-label="top instances">
              <TableHead>
                <TableRow>
                  <TableCell>Instance</TableCell>
                  <TableCell>Team</TableCell>
                  <TableCell>Challenge</TableCell>
                  <TableCell align="right">Bytes</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.instances.map(i => (
                  <TableRow key={i.iid}>
                    <TableCell>{i.iid}</TableCell>
                    <TableCell>{i.team}</TableCell>
                    <TableCell>{i.chal}</TableCell>
                    <TableCell align="right">{formatBytes(i.bytes)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Grid>
        </Grid>
      )}
    </InfoCard>
  );
}
