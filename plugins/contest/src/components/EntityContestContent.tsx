import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { contestApiRef } from '../api';
import { contestRouteRef } from '../routes';
import {
  errorStatus,
  errorText,
  formatTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/**
 * The Contest tab of a Challenge entity: in each contest it is in, its
 * solves, attempts and first blood.
 */
export function EntityContestContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(contestApiRef);
  const contestLink = useRouteRef(contestRouteRef);
  const stats = usePolledData(
    () => api.getChallengeStats(entityRef),
    [api, entityRef],
  );

  return (
    <InfoCard title="In contests">
      {stats.loading && !stats.value && <Progress />}
      {Boolean(stats.error) &&
        (errorStatus(stats.error) === 403 ? (
          <Alert severity="info">
            Contest stats are shown to operators, admins and the challenge's
            owners.
          </Alert>
        ) : (
          <Alert severity="error">
            Could not load contest stats: {errorText(stats.error)}
          </Alert>
        ))}
      {stats.value?.length === 0 && (
        <Typography color="textSecondary">
          This challenge is not in any contest yet.
        </Typography>
      )}
      {stats.value && stats.value.length > 0 && (
        <Table size="small" aria-label="contest stats">
          <TableHead>
            <TableRow>
              <TableCell>Contest</TableCell>
              <TableCell>Visibility</TableCell>
              <TableCell align="right">Solves</TableCell>
              <TableCell align="right">Attempts</TableCell>
              <TableCell>First blood</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {stats.value.map(s => (
              <TableRow key={s.contest}>
                <TableCell>
                  {contestLink ? (
                    <Link to={`${contestLink({ slug: s.contest })}/challenges`}>
                      {s.contest}
                    </Link>
                  ) : (
                    s.contest
                  )}
                </TableCell>
                <TableCell>{s.hidden ? 'Hidden' : 'Published'}</TableCell>
                <TableCell align="right">{s.solves}</TableCell>
                <TableCell align="right">{s.attempts}</TableCell>
                <TableCell>
                  {s.firstBlood ? (
                    <Box>
                      {s.firstBlood.team}
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        display="block"
                      >
                        {formatTime(s.firstBlood.at)}
                      </Typography>
                    </Box>
                  ) : (
                    '—'
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
