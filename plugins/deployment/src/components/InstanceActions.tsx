import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  instanceExtendPermission,
  instanceStopPermission,
  type InstanceView,
} from '@flagstage/plugin-deployment-common';
import { deploymentApiRef } from '../api';
import { errorText, formatTime } from '@flagstage/plugin-flagstage-react';
import { canStopState } from './util';

/** What happened to an action, for the page to show. */
import type { ActionOutcome } from './StatusAlerts';

/**
 * Stop (after confirmation) and Extend for one instance. Disabled without
 * the permission or in a state that does not allow them; outcomes (and the
 * backend's error messages) go to `onOutcome`.
 */
export function InstanceActions(props: {
  instance: InstanceView;
  onOutcome: (outcome: ActionOutcome) => void;
  onChanged?: (instance: InstanceView) => void;
}) {
  const { instance, onOutcome, onChanged } = props;
  const api = useApi(deploymentApiRef);
  const { allowed: canStop } = usePermission({
    permission: instanceStopPermission,
  });
  const { allowed: canExtend } = usePermission({
    permission: instanceExtendPermission,
  });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const run = async (
    action: () => Promise<InstanceView>,
    success: (v: InstanceView) => string,
  ) => {
    setBusy(true);
    try {
      const updated = await action();
      onOutcome({ severity: 'success', text: success(updated) });
      onChanged?.(updated);
    } catch (e) {
      onOutcome({ severity: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const stop = async () => {
    setConfirming(false);
    await run(
      () => api.stopInstance(instance.id),
      v => `Stopping ${v.challenge} for team ${v.teamId}: now ${v.state}.`,
    );
  };

  const extend = () =>
    run(
      () => api.extendInstance(instance.id),
      v =>
        `Extended ${v.challenge} for team ${v.teamId}: expires ${formatTime(
          v.expiresAt,
        )}.`,
    );

  const extendable =
    instance.state === 'RUNNING' && instance.extendableFrom !== null;
  let extendTitle = 'Extend the expiry';
  if (!canExtend) extendTitle = 'You may not extend instances';
  else if (instance.state !== 'RUNNING')
    extendTitle = 'Only a running instance can be extended';
  else if (instance.extendableFrom === null) extendTitle = 'No extensions left';
  else if (new Date(instance.extendableFrom).getTime() > Date.now())
    extendTitle = `Extending opens ${formatTime(instance.extendableFrom)}`;

  const label = `${instance.challenge} for team ${instance.teamId}`;

  return (
    <Box display="flex" style={{ gap: 4 }} justifyContent="flex-end">
      <span title={extendTitle}>
        <Button
          size="small"
          aria-label={`Extend ${label}`}
          disabled={!canExtend || busy || !extendable}
          onClick={extend}
        >
          Extend
        </Button>
      </span>
      <span
        title={canStop ? 'Stop this instance' : 'You may not stop instances'}
      >
        <Button
          size="small"
          color="secondary"
          aria-label={`Stop ${label}`}
          disabled={!canStop || busy || !canStopState(instance.state)}
          onClick={() => setConfirming(true)}
        >
          Stop
        </Button>
      </span>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        aria-labelledby={`stop-title-${instance.id}`}
      >
        <DialogTitle id={`stop-title-${instance.id}`}>
          Stop this instance?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {instance.challenge} for team {instance.teamId} in contest{' '}
            {instance.contestId} ({instance.state}, <code>{instance.id}</code>)
            will be torn down.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="secondary" variant="contained" onClick={stop}>
            Stop instance
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
