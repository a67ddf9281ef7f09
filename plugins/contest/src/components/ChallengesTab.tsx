import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { contestUpdatePermission } from '@flagstage/plugin-contest-common';
import type { AdminContestChallenge } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import { AttachChallengeForm } from './AttachChallengeForm';
import { ReleaseTimeEditor } from './ReleaseTimeEditor';
import { errorText } from '@flagstage/plugin-flagstage-react';

/** Describes a challenge's scoring: function and its parameters. */
function scoringText(c: AdminContestChallenge) {
  const s = c.scoring;
  if (s.function === 'static') return `static ${s.value ?? '?'}`;
  const parts = [
    s.initial !== undefined && `${s.initial}`,
    s.minimum !== undefined && `min ${s.minimum}`,
    s.decay !== undefined && `decay ${s.decay}`,
  ].filter(Boolean);
  return `${s.function}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** The contest's challenges: attach from the catalog, publish or hide, release time, detach. */
export function ChallengesTab(props: {
  slug: string;
  challenges: AdminContestChallenge[];
  onChanged: () => Promise<void>;
}) {
  const { slug, challenges } = props;
  const api = useApi(contestApiRef);
  const { allowed: canUpdate } = usePermission({
    permission: contestUpdatePermission,
  });
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [detaching, setDetaching] = useState<AdminContestChallenge>();

  const run = async (
    name: string,
    action: () => Promise<unknown>,
    done: string,
  ) => {
    setBusy(name);
    setError(undefined);
    setNotice(undefined);
    try {
      await action();
      await props.onChanged();
      setNotice(done);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };

  const detach = async (c: AdminContestChallenge) => {
    setDetaching(undefined);
    await run(
      c.name,
      () => api.detachChallenge(slug, c.name),
      `Detached ${c.title}.`,
    );
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AttachChallengeForm
          slug={slug}
          attached={challenges.map(c => c.entityRef)}
          disabled={!canUpdate}
          onAttached={props.onChanged}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Challenges in this contest">
          {error && (
            <Box mb={2}>
              <Alert severity="error">{error}</Alert>
            </Box>
          )}
          {notice && (
            <Box mb={2}>
              <Alert severity="success">{notice}</Alert>
            </Box>
          )}
          {challenges.length === 0 ? (
            <Typography color="textSecondary">
              No challenges yet: attach some from the catalog above.
            </Typography>
          ) : (
            <Table size="small" aria-label="challenges">
              <TableHead>
                <TableRow>
                  <TableCell>Challenge</TableCell>
                  <TableCell>Category</TableCell>
                  <TableCell>Difficulty</TableCell>
                  <TableCell>Scoring</TableCell>
                  <TableCell align="right">Value</TableCell>
                  <TableCell align="right">Solves</TableCell>
                  <TableCell>Published</TableCell>
                  <TableCell>Release</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {challenges.map(c => (
                  <TableRow key={c.entityRef}>
                    <TableCell>
                      <EntityRefLink entityRef={c.entityRef} title={c.title} />
                      <Typography variant="caption" display="block">
                        {c.name} · {c.type}
                      </Typography>
                    </TableCell>
                    <TableCell>{c.category}</TableCell>
                    <TableCell>{c.difficulty}</TableCell>
                    <TableCell>{scoringText(c)}</TableCell>
                    <TableCell align="right">{c.value}</TableCell>
                    <TableCell align="right">{c.solves}</TableCell>
                    <TableCell>
                      <Switch
                        size="small"
                        color="primary"
                        checked={!c.hidden}
                        disabled={!canUpdate || busy === c.name}
                        inputProps={{ 'aria-label': `Published ${c.name}` }}
                        onChange={(_e, checked) =>
                          run(
                            c.name,
                            () =>
                              api.updateChallenge(slug, c.name, {
                                hidden: !checked,
                              }),
                            checked
                              ? `Published ${c.title}.`
                              : `Hid ${c.title}.`,
                          )
                        }
                      />
                    </TableCell>
                    <TableCell>
                      <ReleaseTimeEditor
                        name={c.name}
                        releaseAt={c.releaseAt}
                        disabled={!canUpdate || busy === c.name}
                        onSave={releaseAt =>
                          run(
                            c.name,
                            () =>
                              api.updateChallenge(slug, c.name, { releaseAt }),
                            releaseAt
                              ? `${c.title} is released at the new time.`
                              : `${c.title} is released with the contest.`,
                          )
                        }
                      />
                    </TableCell>
                    <TableCell align="right">
                      <Button
                        size="small"
                        disabled={!canUpdate || busy === c.name}
                        aria-label={`Detach ${c.name}`}
                        onClick={() => setDetaching(c)}
                      >
                        Detach
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
      <Dialog open={Boolean(detaching)} onClose={() => setDetaching(undefined)}>
        <DialogTitle>Detach {detaching?.title}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Removes the challenge and its submissions from this contest. A
            challenge that has solves cannot be detached: hide it instead.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDetaching(undefined)}>Cancel</Button>
          <Button
            color="secondary"
            onClick={() => detaching && detach(detaching)}
          >
            Detach
          </Button>
        </DialogActions>
      </Dialog>
    </Grid>
  );
}
