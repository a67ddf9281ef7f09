import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { Contest, ScoreboardView } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import {
  errorStatus,
  errorText,
  formatTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/** How often the board refreshes. */
const SCOREBOARD_REFRESH_MS = 10000;

/**
 * Preview of the scoreboard: the live board (staff only) or the public one
 * (what contestants see: frozen after the freeze time), per division.
 */
export function ScoreboardTab(props: { contest: Contest }) {
  const { contest } = props;
  const api = useApi(contestApiRef);
  const [view, setView] = useState<ScoreboardView>('live');
  const [division, setDivision] = useState('');
  const [page, setPage] = useState(1);
  const board = usePolledData(
    () =>
      api.getScoreboard(contest.slug, {
        view,
        division: division || undefined,
        page,
      }),
    [api, contest.slug, view, division, page],
    SCOREBOARD_REFRESH_MS,
  );
  const data = board.value;
  const freezePassed =
    contest.freezeAt !== null && Date.parse(contest.freezeAt) <= Date.now();
  const noSuchDivision =
    Boolean(board.error) && errorStatus(board.error) === 404 && division;

  return (
    <InfoCard
      title="Scoreboard"
      subheader={data ? `Computed ${formatTime(data.computedAt)}` : undefined}
    >
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 16 }}
        mb={2}
      >
        <ToggleButtonGroup
          size="small"
          exclusive
          value={view}
          aria-label="board"
          onChange={(_e, value: ScoreboardView | null) => {
            if (value) {
              setView(value);
              setPage(1);
            }
          }}
        >
          <ToggleButton value="live" aria-label="live">
            Live
          </ToggleButton>
          <ToggleButton value="public" aria-label="public">
            Public
          </ToggleButton>
        </ToggleButtonGroup>
        {contest.divisions.length > 0 && (
          <TextField
            select
            id="scoreboard-division"
            label="Division"
            variant="outlined"
            size="small"
            style={{ minWidth: 160 }}
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
            value={division}
            onChange={e => {
              setDivision(e.target.value);
              setPage(1);
            }}
          >
            <MenuItem value="">All divisions</MenuItem>
            {contest.divisions.map(d => (
              <MenuItem key={d} value={d}>
                {d}
              </MenuItem>
            ))}
          </TextField>
        )}
        {data?.frozen && (
          <Chip color="secondary" label="Frozen" data-testid="frozen-chip" />
        )}
      </Box>
      {view === 'public' && data?.frozen && (
        <Box mb={2}>
          <Alert severity="info">
            Frozen: contestants see the standings as of{' '}
            {formatTime(contest.freezeAt)}. Switch to Live for the current
            standings.
          </Alert>
        </Box>
      )}
      {view === 'live' && freezePassed && (
        <Box mb={2}>
          <Alert severity="warning">
            The public board froze at {formatTime(contest.freezeAt)}: this live
            board is for staff only.
          </Alert>
        </Box>
      )}
      {view === 'public' && !freezePassed && contest.freezeAt && (
        <Box mb={2}>
          <Typography variant="body2" color="textSecondary">
            The public board freezes at {formatTime(contest.freezeAt)}.
          </Typography>
        </Box>
      )}
      {board.loading && !data && <Progress />}
      {noSuchDivision ? (
        <Typography color="textSecondary">
          No team in division {division} yet.
        </Typography>
      ) : (
        Boolean(board.error) && (
          <Box mb={2}>
            <Alert severity="error">
              Could not load the scoreboard: {errorText(board.error)}
            </Alert>
          </Box>
        )
      )}
      {data && !noSuchDivision && data.entries.length === 0 && (
        <Typography color="textSecondary">
          No teams on the board yet.
        </Typography>
      )}
      {data && !noSuchDivision && data.entries.length > 0 && (
        <>
          <Table size="small" aria-label="scoreboard">
            <TableHead>
              <TableRow>
                <TableCell>#</TableCell>
                <TableCell>Team</TableCell>
                <TableCell>Division</TableCell>
                <TableCell align="right">Score</TableCell>
                <TableCell>Last solve</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.entries.map(e => (
                <TableRow key={e.teamId}>
                  <TableCell>{e.pos}</TableCell>
                  <TableCell>{e.team}</TableCell>
                  <TableCell>{e.division || '—'}</TableCell>
                  <TableCell align="right">{e.score}</TableCell>
                  <TableCell>{formatTime(e.lastSolveAt) || '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {data.pages > 1 && (
            <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
              <Button
                size="small"
                disabled={page <= 1}
                onClick={() => setPage(p => p - 1)}
              >
                Previous
              </Button>
              <Typography variant="body2">
                Page {data.page} of {data.pages} ({data.total} teams)
              </Typography>
              <Button
                size="small"
                disabled={page >= data.pages}
                onClick={() => setPage(p => p + 1)}
              >
                Next
              </Button>
            </Box>
          )}
        </>
      )}
    </InfoCard>
  );
}
