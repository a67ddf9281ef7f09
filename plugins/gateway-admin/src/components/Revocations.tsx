import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
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
import {
  gatewayRevocationsCreatePermission,
  gatewayRevocationsDeletePermission,
  type GatewayPublishState,
} from '@flagstage/plugin-gateway-admin-common';
import {
  GATEWAY_REVOCATION_SCOPES,
  type GatewayRevocationScope,
} from '@flagstage/plugin-gateway-common';
import { gatewayAdminApiRef } from '../api';
import { PublishWarning } from './PublishWarning';
import { errorText, usePolledData } from '@flagstage/plugin-flagstage-react';

const SCOPE_HELP: Record<GatewayRevocationScope, string> = {
  instance: 'Instance id (every token of that instance)',
  team: 'Team id (every instance of the team)',
  token: 'Token id: 32 hex characters, gatewayTokenId(token)',
};

/** Revocations: the list, a form to revoke, and un-revoke per row. */
export function Revocations() {
  const api = useApi(gatewayAdminApiRef);
  const { allowed: canCreate } = usePermission({
    permission: gatewayRevocationsCreatePermission,
  });
  const { allowed: canDelete } = usePermission({
    permission: gatewayRevocationsDeletePermission,
  });
  const list = usePolledData(() => api.listRevocations(), [api], 30_000);
  const [scope, setScope] = useState<GatewayRevocationScope>('instance');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [lastChange, setLastChange] = useState<
    GatewayPublishState & { text: string }
  >();

  const revoke = async () => {
    setBusy(true);
    setError(undefined);
    setLastChange(undefined);
    try {
      const result = await api.revoke({
        scope,
        value: value.trim(),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setLastChange({
        ...result,
        text: `Revoked ${result.revocation.scope} ${result.revocation.value}.`,
      });
      setValue('');
      setReason('');
      await list.refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const unrevoke = async (s: GatewayRevocationScope, v: string) => {
    setBusy(true);
    setError(undefined);
    setLastChange(undefined);
    try {
      const result = await api.unrevoke(s, v);
      setLastChange({ ...result, text: `Lifted the revocation of ${s} ${v}.` });
      await list.refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Revocations">
      <PublishWarning state={lastChange ?? list.value} />
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="flex-start"
        style={{ gap: 8 }}
        mt={1}
      >
        <TextField
          select
          variant="outlined"
          size="small"
          label="Scope"
          id="revoke-scope"
          value={scope}
          disabled={!canCreate}
          onChange={e => setScope(e.target.value as GatewayRevocationScope)}
          style={{ minWidth: 130 }}
        >
          {GATEWAY_REVOCATION_SCOPES.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          variant="outlined"
          size="small"
          label="Value"
          id="revoke-value"
          value={value}
          disabled={!canCreate}
          helperText={SCOPE_HELP[scope]}
          onChange={e => setValue(e.target.value)}
          style={{ minWidth: 280 }}
        />
        <TextField
          variant="outlined"
          size="small"
          label="Reason (optional)"
          id="revoke-reason"
          value={reason}
          disabled={!canCreate}
          onChange={e => setReason(e.target.value)}
          inputProps={{ maxLength: 500 }}
          style={{ minWidth: 240 }}
        />
        <Button
          variant="contained"
          color="secondary"
          disabled={!canCreate || busy || value.trim() === ''}
          onClick={revoke}
        >
          Revoke
        </Button>
      </Box>
      {error && (
        <Box mt={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      {lastChange && (
        <Box mt={1}>
          <Alert severity={lastChange.published ? 'success' : 'info'}>
            {lastChange.text}
          </Alert>
        </Box>
      )}
      {list.loading && <Progress />}
      {Boolean(list.error) && (
        <Alert severity="error">
          Could not load revocations: {errorText(list.error)}
        </Alert>
      )}
      {list.value && list.value.items.length === 0 && (
        <Box mt={2}>
          <Typography color="textSecondary">Nothing is revoked.</Typography>
        </Box>
      )}
      {list.value && list.value.items.length > 0 && (
        <Table size="small" aria-label="revocations">
          <TableHead>
            <TableRow>
              <TableCell>Scope</TableCell>
              <TableCell>Value</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>By</TableCell>
              <TableCell>At</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {list.value.items.map(r => (
              <TableRow key={`${r.scope}:${r.value}`}>
                <TableCell>{r.scope}</TableCell>
                <TableCell>
                  <code>{r.value}</code>
                </TableCell>
                <TableCell>{r.reason ?? ''}</TableCell>
                <TableCell>{r.by ?? ''}</TableCell>
                <TableCell>{new Date(r.at).toLocaleString()}</TableCell>
                <TableCell align="right">
                  <Button
                    size="small"
                    disabled={!canDelete || busy}
                    aria-label={`Un-revoke ${r.scope} ${r.value}`}
                    onClick={() => unrevoke(r.scope, r.value)}
                  >
                    Un-revoke
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
