import { useRef, useState } from 'react';
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
import type { AdminSubmission } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import { OutcomeChip } from './OutcomeChip';
import {
  errorText,
  formatTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/** How often the feed asks for new submissions. */
export const SUBMISSIONS_REFRESH_MS = 3000;
/** Most rows kept on screen. */
const KEEP = 500;
/** Most rows the backend returns per request. */
const BACKEND_PAGE = 100;

type Feed = {
  slug: string;
  lastId: number;
  items: AdminSubmission[];
  gap: boolean;
};

/**
 * Live feed of the contest's flag submissions, newest first: loads the latest
 * 100, then every few seconds those after the newest seen.
 */
export function SubmissionsTab(props: { slug: string; refreshMs?: number }) {
  const { slug } = props;
  const refreshMs = props.refreshMs ?? SUBMISSIONS_REFRESH_MS;
  const api = useApi(contestApiRef);
  const [paused, setPaused] = useState(false);
  // The feed so far; a load adds the submissions after the newest seen.
  const seen = useRef<Feed>();
  const feed = usePolledData(
    async (): Promise<Feed> => {
      const prev =
        seen.current?.slug === slug
          ? seen.current
          : { slug, lastId: 0, items: [], gap: false };
      const after = prev.lastId;
      const batch = (
        await api.listSubmissions(slug, after || undefined)
      ).filter(s => s.id > after);
      seen.current = {
        slug,
        lastId: Math.max(after, ...batch.map(s => s.id)),
        items: [...batch, ...prev.items].slice(0, KEEP),
        gap: prev.gap || (after > 0 && batch.length >= BACKEND_PAGE),
      };
      return seen.current;
    },
    [api, slug],
    paused ? undefined : refreshMs,
  );
  const current = feed.value?.slug === slug ? feed.value : undefined;
  const items = current?.items;
  const gap = current?.gap ?? false;
  const error = feed.error;
  const at = feed.at;

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
        <Button
          size="small"
          onClick={() => {
            // Resuming catches up at once, then polls again.
            if (paused) feed.refresh();
            setPaused(!paused);
          }}
        >
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
