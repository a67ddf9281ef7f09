import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { contestApiRef } from '../api';
import {
  errorText,
  formatTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/** How often incidents refresh. */
const INCIDENTS_REFRESH_MS = 15000;

/** Shared dynamic flags: a team submitted the flag made for another team. */
export function IncidentsTab(props: { slug: string }) {
  const api = useApi(contestApiRef);
  const incidents = usePolledData(
    () => api.listIncidents(props.slug),
    [api, props.slug],
    INCIDENTS_REFRESH_MS,
  );
  return (
    <InfoCard
      title="Shared-flag incidents"
      subheader="A team submitted a dynamic flag that was generated for another team's instance."
      action={
        <Button size="small" onClick={() => incidents.refresh()}>
          Refresh
        </Button>
      }
    >
      {incidents.loading && !incidents.value && <Progress />}
      {Boolean(incidents.error) && (
        <Box mb={2}>
          <Alert severity="error">
            Could not load incidents: {errorText(incidents.error)}
          </Alert>
        </Box>
      )}
      {incidents.value?.length === 0 && (
        <Typography color="textSecondary">No shared flags detected.</Typography>
      )}
      {incidents.value && incidents.value.length > 0 && (
        <Table size="small" aria-label="incidents">
          <TableHead>
            <TableRow>
              <TableCell>Time</TableCell>
              <TableCell>Submitting team</TableCell>
              <TableCell>Flag belongs to</TableCell>
              <TableCell>Challenge</TableCell>
              <TableCell>Contestant</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {incidents.value.map(i => (
              <TableRow key={i.id}>
                <TableCell>{formatTime(i.at)}</TableCell>
                <TableCell>{i.submittingTeam}</TableCell>
                <TableCell>{i.ownerTeam}</TableCell>
                <TableCell>{i.challenge}</TableCell>
                <TableCell>
                  <code>{i.contestantId}</code>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
