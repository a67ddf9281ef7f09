import { useEffect, useRef, useState } from 'react';
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
import { contestApiRef, type AdminSubmission } from '../api';
import { OutcomeChip } from './OutcomeChip';
import { errorText, formatTime } from './util';

/** How often the feed asks for new submissions. */
export const SUBMISSIONS_REFRESH_MS = 3000;
/** Most rows kept on screen. */
const KEEP = 500;
/** Most rows the backend returns per request. */
const BACKEND_PAGE = 100;

/**
 * Live feed of the contest's flag submissions, newest first: loads the latest
 * 100, then every few seconds those after the newest seen.
 */
export function SubmissionsTab(props: { slug: string; refreshMs?: number }) {
  const { slug } = props;
  const refreshMs = props.refreshMs ?? SUBMISSIONS_REFRESH_MS;
  const api = useApi(contestApiRef);
  const [items, setItems] = useState<AdminSubmission[]>();
  const [error, setError] = useState<unknown>();
  const [gap, setGap] = useState(false);
  const [paused, setPaused] = useState(false);
  const [at, setAt] = useState<Date>();
  const lastId = useRef(0);

  useEffect(() => {
    lastId.current = 0;
    setItems(undefined);
    setGap(false);
  }, [slug]);

  useEffect(() => {
    if (paused) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const after = lastId.current;
      try {
        const batch = (
          await api.listSubmissions(slug, after || undefined)
        ).filter(s => s.id > after);
        if (cancelled) return;
        if (after > 0 && batch.length >= BACKEND_PAGE) setGap(true);
        if (batch.length > 0) {
          lastId.current = Math.max(after, ...batch.map(s => s.id));
        }
        setItems(prev => [...batch, ...(prev ?? [])].slice(0, KEEP));
        setError(undefined);
        setAt(new Date());
      } catch (e) {
        if (!cancelled) setError(e);
      }
      if (!cancelled) timer = setTimeout(tick, refreshMs);
    };
    tick();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, slug, paused, refreshMs]);

  const correct = items?.filter(s => s.outcome === 'correct').length ?? 0;

  return (
    <InfoCard
      title="Submissions"
      subheader={
        paused
          ? 'Paused'
          : `Live, every ${Math.round(refreshMs / 1000)} s${
              at ? ` · updated ${at.toLocaleTimeString()}` : ''
            }`
      }
      action={
        <Button size="small" onClick={() => setPaused(p => !p)}>
          {paused ? 'Resume' : 'Pause'}
        </Button>
      }
    >
      {Boolean(error) && (
        <Box mb={2}>
          <Alert severity="error">
            Could not load submissions: {errorText(error)}
          </Alert>
        </Box>
      )}
      {gap && (
        <Box mb={2}>
          <Alert severity="warning">
            More than {BACKEND_PAGE} submissions arrived between two refreshes;
            some in between are not shown.
          </Alert>
        </Box>
      )}
      {!items && !error && <Progress />}
      {items?.length === 0 && (
        <Typography color="textSecondary">No submissions yet.</Typography>
      )}
      {items && items.length > 0 && (
        <>
          <Typography variant="body2" color="textSecondary" gutterBottom>
            Showing {items.length} (of which {correct} correct)
          </Typography>
          <Table size="small" aria-label="submissions">
            <TableHead>
              <TableRow>
                <TableCell>Time</TableCell>
                <TableCell>Team</TableCell>
                <TableCell>Challenge</TableCell>
                <TableCell>Outcome</TableCell>
                <TableCell>Contestant</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(s => (
                <TableRow key={s.id}>
                  <TableCell>{formatTime(s.at)}</TableCell>
                  <TableCell>{s.team}</TableCell>
                  <TableCell>{s.challenge}</TableCell>
                  <TableCell>
                    <OutcomeChip outcome={s.outcome} />
                  </TableCell>
                  <TableCell>
                    <code>{s.contestantId}</code>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </InfoCard>
  );
}
