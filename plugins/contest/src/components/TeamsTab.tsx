import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
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
import { usePermission } from '@backstage/plugin-permission-react';
import { contestTeamBanPermission } from '@flagstage/plugin-contest-common';
import type { AdminTeam } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import { errorText, usePolledData } from '@flagstage/plugin-flagstage-react';

/** How long typing pauses before the search runs. */
const SEARCH_DEBOUNCE_MS = 300;

/** The contest's teams: search by name, ban with a reason, unban. */
export function TeamsTab(props: { slug: string }) {
  const { slug } = props;
  const api = useApi(contestApiRef);
  const { allowed: canBan, loading: checking } = usePermission({
    permission: contestTeamBanPermission,
  });
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search]);
  const teams = usePolledData(
    () => api.listTeams(slug, query || undefined),
    [api, slug, query],
  );
  const [banning, setBanning] = useState<AdminTeam>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const setBanned = async (team: AdminTeam, banned: boolean) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const trimmed = reason.trim();
      await api.setTeamBanned(slug, team.id, {
        banned,
        ...(banned && trimmed ? { reason: trimmed } : {}),
      });
      setBanning(undefined);
      await teams.refresh();
      setNotice(banned ? `Banned ${team.name}.` : `Unbanned ${team.name}.`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Teams">
      <Box mb={2}>
        <TextField
          id="team-search"
          label="Search teams"
          variant="outlined"
          size="small"
          value={search}
          onChange={e => setSearch(e.target.value)}
          inputProps={{ maxLength: 64 }}
        />
      </Box>
      {!canBan && !checking && (
        <Box mb={2}>
          <Alert severity="info">Only admins ban teams.</Alert>
        </Box>
      )}
      {error && !banning && (
        <Box mb={2}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      {notice && (
        <Box mb={2}>
          <Alert severity="success">{notice}</Alert>
        </Box>
      )}
      {teams.loading && !teams.value && <Progress />}
      {Boolean(teams.error) && (
        <Alert severity="error">
          Could not load teams: {errorText(teams.error)}
        </Alert>
      )}
      {teams.value?.length === 0 && (
        <Typography color="textSecondary">
          {query ? `No team matches “${query}”.` : 'No teams yet.'}
        </Typography>
      )}
      {teams.value && teams.value.length > 0 && (
        <Table size="small" aria-label="teams">
          <TableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              <TableCell>Division</TableCell>
              <TableCell align="right">Members</TableCell>
              <TableCell>Status</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {teams.value.map(t => (
              <TableRow key={t.id}>
                <TableCell>{t.name}</TableCell>
                <TableCell>{t.division ?? '—'}</TableCell>
                <TableCell align="right">{t.members}</TableCell>
                <TableCell>
                  {t.banned ? (
                    <>
                      <Chip size="small" color="secondary" label="Banned" />{' '}
                      {t.banReason}
                    </>
                  ) : (
                    'Active'
                  )}
                </TableCell>
                <TableCell align="right">
                  {t.banned ? (
                    <Button
                      size="small"
                      disabled={!canBan || busy}
                      aria-label={`Unban ${t.name}`}
                      onClick={() => setBanned(t, false)}
                    >
                      Unban
                    </Button>
                  ) : (
                    <Button
                      size="small"
                      color="secondary"
                      disabled={!canBan || busy}
                      aria-label={`Ban ${t.name}`}
                      onClick={() => {
                        setReason('');
                        setError(undefined);
                        setBanning(t);
                      }}
                    >
                      Ban
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Dialog open={Boolean(banning)} onClose={() => setBanning(undefined)}>
        <DialogTitle>Ban {banning?.name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A banned team cannot submit flags and leaves the scoreboard.
          </DialogContentText>
          <TextField
            fullWidth
            id="ban-reason"
            label="Reason (optional)"
            value={reason}
            inputProps={{ maxLength: 500 }}
            onChange={e => setReason(e.target.value)}
          />
          {error && (
            <Box mt={2}>
              <Alert severity="error">{error}</Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setBanning(undefined)}>Cancel</Button>
          <Button
            color="secondary"
            disabled={busy}
            onClick={() => banning && setBanned(banning, true)}
          >
            Ban team
          </Button>
        </DialogActions>
      </Dialog>
    </InfoCard>
  );
}
