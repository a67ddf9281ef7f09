import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Content, InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { contestCreatePermission } from '@flagstage/plugin-contest-common';
import type { ContestCreateRequest } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import { contestRouteRef } from '../routes';
import { ContestEditor } from './ContestEditor';
import { ContestPhaseChip } from './ContestPhaseChip';
import {
  errorText,
  formatTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/** All contests, newest start first, and the form to create one. */
export function ContestListPage() {
  const api = useApi(contestApiRef);
  const navigate = useNavigate();
  const contestLink = useRouteRef(contestRouteRef);
  const { allowed: canCreate, loading: checking } = usePermission({
    permission: contestCreatePermission,
  });
  const list = usePolledData(() => api.listContests(), [api]);
  const [creating, setCreating] = useState(false);

  const create = async (request: ContestCreateRequest) => {
    const contest = await api.createContest(request);
    setCreating(false);
    if (contestLink) navigate(contestLink({ slug: contest.slug }));
    else await list.refresh();
  };

  return (
    <Content>
      {creating ? (
        <Box mb={3}>
          <InfoCard title="New contest">
            <ContestEditor
              onSubmit={request => create(request as ContestCreateRequest)}
              onCancel={() => setCreating(false)}
            />
          </InfoCard>
        </Box>
      ) : (
        <Box mb={2} display="flex" alignItems="center" style={{ gap: 16 }}>
          <Button
            variant="contained"
            color="primary"
            disabled={!canCreate}
            onClick={() => setCreating(true)}
          >
            New contest
          </Button>
          {!canCreate && !checking && (
            <Typography variant="body2" color="textSecondary">
              Only admins create contests.
            </Typography>
          )}
        </Box>
      )}
      <InfoCard title="Contests">
        {list.loading && !list.value && <Progress />}
        {Boolean(list.error) && (
          <Alert severity="error">
            Could not load contests: {errorText(list.error)}
          </Alert>
        )}
        {list.value?.length === 0 && (
          <Typography color="textSecondary">No contests yet.</Typography>
        )}
        {list.value && list.value.length > 0 && (
          <Table size="small" aria-label="contests">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Slug</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Starts</TableCell>
                <TableCell>Ends</TableCell>
                <TableCell>Freeze</TableCell>
                <TableCell>Divisions</TableCell>
                <TableCell>Registration</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.value.map(c => (
                <TableRow key={c.id}>
                  <TableCell>
                    {contestLink ? (
                      <Link to={contestLink({ slug: c.slug })}>{c.name}</Link>
                    ) : (
                      c.name
                    )}
                  </TableCell>
                  <TableCell>
                    <code>{c.slug}</code>
                  </TableCell>
                  <TableCell>
                    <ContestPhaseChip contest={c} />
                  </TableCell>
                  <TableCell>{formatTime(c.startsAt)}</TableCell>
                  <TableCell>{formatTime(c.endsAt)}</TableCell>
                  <TableCell>{formatTime(c.freezeAt) || '—'}</TableCell>
                  <TableCell>{c.divisions.join(', ') || '—'}</TableCell>
                  <TableCell>{c.registration}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </InfoCard>
    </Content>
  );
}
