import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  contestDeletePermission,
  contestUpdatePermission,
  type Contest,
} from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { ContestEditor } from './ContestEditor';
import { errorText } from '@flagstage/plugin-flagstage-react';

/** The contest's settings, and deleting it. */
export function SettingsTab(props: {
  contest: Contest;
  onChanged: () => Promise<void>;
}) {
  const { contest } = props;
  const api = useApi(contestApiRef);
  const navigate = useNavigate();
  const listLink = useRouteRef(rootRouteRef);
  const { allowed: canUpdate, loading: checking } = usePermission({
    permission: contestUpdatePermission,
  });
  const { allowed: canDelete } = usePermission({
    permission: contestDeletePermission,
  });
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [deleteError, setDeleteError] = useState<string>();
  const [deleting, setDeleting] = useState(false);

  const remove = async () => {
    setDeleting(true);
    setDeleteError(undefined);
    try {
      await api.deleteContest(contest.slug);
      setConfirming(false);
      if (listLink) navigate(listLink());
    } catch (e) {
      setDeleteError(errorText(e));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Settings">
          {!canUpdate && !checking && (
            <Box mb={2}>
              <Alert severity="info">Only admins change contests.</Alert>
            </Box>
          )}
          <ContestEditor
            key={contest.id}
            contest={contest}
            disabled={!canUpdate}
            onSubmit={async patch => {
              setSaved(false);
              await api.updateContest(contest.slug, patch);
              setSaved(true);
              await props.onChanged();
            }}
          />
          {saved && (
            <Box mt={2}>
              <Alert severity="success">Saved.</Alert>
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Delete contest">
          <Typography variant="body2" paragraph>
            Deletes the contest with its teams, contestants, submissions, solves
            and announcements. This cannot be undone.
          </Typography>
          <Button
            variant="outlined"
            color="secondary"
            disabled={!canDelete}
            onClick={() => {
              setTyped('');
              setDeleteError(undefined);
              setConfirming(true);
            }}
          >
            Delete contest
          </Button>
        </InfoCard>
      </Grid>
      <Dialog open={confirming} onClose={() => setConfirming(false)}>
        <DialogTitle>Delete {contest.name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Type the slug <code>{contest.slug}</code> to confirm.
          </DialogContentText>
          <TextField
            fullWidth
            id="confirm-slug"
            label="Slug"
            value={typed}
            onChange={e => setTyped(e.target.value)}
          />
          {deleteError && (
            <Box mt={2}>
              <Alert severity="error">{deleteError}</Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button
            color="secondary"
            disabled={typed !== contest.slug || deleting}
            onClick={remove}
          >
            Delete
          </Button>
        </DialogActions>
      </Dialog>
    </Grid>
  );
}
