import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { contestAnnouncePermission } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import {
  errorText,
  formatTime,
  usePolledData,
} from '@flagstage/plugin-flagstage-react';

/** Post an announcement to contestants, and the ones posted so far. */
export function AnnouncementsTab(props: { slug: string }) {
  const { slug } = props;
  const api = useApi(contestApiRef);
  const { allowed: canAnnounce, loading: checking } = usePermission({
    permission: contestAnnouncePermission,
  });
  const list = usePolledData(() => api.listAnnouncements(slug), [api, slug]);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const post = async () => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await api.postAnnouncement(slug, { title: title.trim(), body });
      setTitle('');
      setBody('');
      await list.refresh();
      setNotice(`Posted “${title.trim()}”.`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard title="New announcement">
          <TextField
            id="announcement-title"
            label="Title"
            variant="outlined"
            size="small"
            fullWidth
            margin="dense"
            value={title}
            disabled={!canAnnounce || busy}
            inputProps={{ maxLength: 200 }}
            onChange={e => setTitle(e.target.value)}
          />
          <TextField
            id="announcement-body"
            label="Message"
            variant="outlined"
            fullWidth
            multiline
            minRows={5}
            margin="dense"
            value={body}
            disabled={!canAnnounce || busy}
            inputProps={{ maxLength: 10000 }}
            onChange={e => setBody(e.target.value)}
          />
          <Box mt={1} display="flex" alignItems="center" style={{ gap: 12 }}>
            <Button
              variant="contained"
              color="primary"
              disabled={!canAnnounce || busy || !title.trim() || !body.trim()}
              onClick={post}
            >
              Post to contestants
            </Button>
            {!canAnnounce && !checking && (
              <Typography variant="body2" color="textSecondary">
                Only admins post announcements.
              </Typography>
            )}
          </Box>
          {error && (
            <Box mt={2}>
              <Alert severity="error">{error}</Alert>
            </Box>
          )}
          {notice && (
            <Box mt={2}>
              <Alert severity="success">{notice}</Alert>
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Posted">
          {list.loading && !list.value && <Progress />}
          {Boolean(list.error) && (
            <Alert severity="error">
              Could not load announcements: {errorText(list.error)}
            </Alert>
          )}
          {list.value?.length === 0 && (
            <Typography color="textSecondary">No announcements yet.</Typography>
          )}
          {list.value?.map((a, i) => (
            <Box key={a.id} mb={2}>
              {i > 0 && (
                <Box mb={2}>
                  <Divider />
                </Box>
              )}
              <Typography variant="subtitle1">{a.title}</Typography>
              <Typography variant="caption" color="textSecondary">
                {formatTime(a.createdAt)}
              </Typography>
              <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
                {a.body}
              </Typography>
            </Box>
          ))}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
