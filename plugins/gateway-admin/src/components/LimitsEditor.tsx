import { useEffect, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  gatewayLimitsUpdatePermission,
  type GatewayLimitsDocument,
  type GatewayLimitsResponse,
} from '@flagstage/plugin-gateway-admin-common';
import { gatewayAdminApiRef } from '../api';
import { PublishWarning } from './PublishWarning';
import { errorStatus, errorText } from '@flagstage/plugin-flagstage-react';

const SECTION_TITLES: Record<string, string> = {
  http: 'HTTP (per token and client IP)',
  tcp: 'TCP and TCP over WebSocket',
};

/** Labels of the contract's fields; unknown future fields show their name. */
const FIELD_LABELS: Record<string, string> = {
  'http.perTokenRps': 'Requests per second per token',
  'http.perTokenBurst': 'Burst per token',
  'http.perIpRps': 'Requests per second per client IP',
  'http.perIpBurst': 'Burst per client IP',
  'http.maxBodyBytes': 'Largest request body (bytes)',
  'tcp.maxConnections': 'Open connections per replica',
  'tcp.maxConnectionsPerIp': 'Connections per client IP',
  'tcp.maxConnectionsPerToken': 'Connections per token',
  'tcp.authTimeoutMs': 'Time to send the token line (ms)',
  'tcp.maxUnauthenticatedPerIp':
    'Connections per client IP awaiting their token',
  'tcp.invalidTokensPerIpPerMinute': 'Invalid tokens per client IP a minute',
  'tcp.maxLifetimeMs': 'Longest connection lifetime (ms)',
};

type FormValues = Record<string, Record<string, string>>;

function toForm(limits: GatewayLimitsDocument): FormValues {
  return Object.fromEntries(
    Object.entries(limits).map(([section, fields]) => [
      section,
      Object.fromEntries(
        Object.entries(fields).map(([field, v]) => [field, String(v)]),
      ),
    ]),
  );
}

/** Form values → limits, or per-field problems (whole numbers only). */
function fromForm(
  values: FormValues,
):
  | { ok: true; limits: GatewayLimitsDocument }
  | { ok: false; problems: Record<string, string> } {
  const limits: GatewayLimitsDocument = {};
  const problems: Record<string, string> = {};
  for (const [section, fields] of Object.entries(values)) {
    limits[section] = {};
    for (const [field, raw] of Object.entries(fields)) {
      const text = raw.trim();
      if (!/^-?\d+$/.test(text)) {
        problems[`${section}.${field}`] = 'must be a whole number';
      } else {
        limits[section][field] = Number(text);
      }
    }
  }
  return Object.keys(problems).length > 0
    ? { ok: false, problems }
    : { ok: true, limits };
}

/**
 * Splits the backend's InputError ("Invalid limits: http.x: …; tcp.y: …")
 * into problems of known fields and the rest.
 */
function serverProblems(message: string, known: Set<string>) {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const part of message.replace(/^Invalid limits:\s*/, '').split('; ')) {
    const colon = part.indexOf(': ');
    const path = colon > 0 ? part.slice(0, colon) : '';
    if (known.has(path)) fields[path] = part.slice(colon + 2);
    else other.push(part);
  }
  return { fields, other };
}

/** Edits the limits every gateway replica applies; shows defaults and every problem. */
export function LimitsEditor() {
  const api = useApi(gatewayAdminApiRef);
  const { allowed: canEdit } = usePermission({
    permission: gatewayLimitsUpdatePermission,
  });
  const [loaded, setLoaded] = useState<GatewayLimitsResponse>();
  const [loadError, setLoadError] = useState<unknown>();
  const [values, setValues] = useState<FormValues>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState<string>();
  const [saving, setSaving] = useState(false);

  const load = useMemo(
    () => async () => {
      try {
        const response = await api.getLimits();
        setLoaded(response);
        setValues(toForm(response.limits));
        setFieldErrors({});
        setFormErrors([]);
        setLoadError(undefined);
      } catch (e) {
        setLoadError(e);
      }
    },
    [api],
  );
  useEffect(() => {
    load();
  }, [load]);

  if (loadError && !loaded) {
    return (
      <InfoCard title="Limits">
        <Alert severity="error">
          Could not load the limits: {errorText(loadError)}
        </Alert>
      </InfoCard>
    );
  }
  if (!loaded) return <Progress />;

  const known = new Set(
    Object.entries(loaded.defaults).flatMap(([section, fields]) =>
      Object.keys(fields).map(field => `${section}.${field}`),
    ),
  );
  const dirty =
    JSON.stringify(values) !== JSON.stringify(toForm(loaded.limits));

  const setField = (section: string, field: string, value: string) => {
    setValues(v => ({ ...v, [section]: { ...v[section], [field]: value } }));
    setFieldErrors(({ [`${section}.${field}`]: _gone, ...rest }) => rest);
    setSaved(undefined);
  };

  const save = async () => {
    setSaved(undefined);
    setFormErrors([]);
    const parsed = fromForm(values);
    if (!parsed.ok) {
      setFieldErrors(parsed.problems);
      return;
    }
    setSaving(true);
    try {
      const response = await api.updateLimits(parsed.limits, loaded.version);
      setLoaded(response);
      setValues(toForm(response.limits));
      setFieldErrors({});
      setSaved(`Saved as version ${response.version}.`);
    } catch (e) {
      const message = errorText(e);
      if (errorStatus(e) === 400) {
        const { fields, other } = serverProblems(message, known);
        setFieldErrors(fields);
        setFormErrors(other);
      } else {
        setFormErrors([message]);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <InfoCard
      title="Limits"
      subheader={
        loaded.version === 0
          ? 'Defaults (never changed here)'
          : `Version ${loaded.version}, saved by ${
              loaded.updatedBy ?? '?'
            } at ${
              loaded.updatedAt
                ? new Date(loaded.updatedAt).toLocaleString()
                : '?'
            }`
      }
    >
      <PublishWarning state={loaded} />
      {Object.entries(loaded.defaults).map(([section, defaults]) => (
        <Box key={section} mt={2}>
          <Typography variant="subtitle2" gutterBottom>
            {SECTION_TITLES[section] ?? section}
          </Typography>
          <Grid container spacing={2}>
            {Object.entries(defaults).map(([field, fallback]) => {
              const path = `${section}.${field}`;
              const error = fieldErrors[path];
              const value = values[section]?.[field] ?? '';
              const changed = value.trim() !== String(fallback);
              return (
                <Grid item xs={12} sm={6} md={4} key={path}>
                  <TextField
                    fullWidth
                    variant="outlined"
                    size="small"
                    id={`limit-${section}-${field}`}
                    label={FIELD_LABELS[path] ?? path}
                    value={value}
                    disabled={!canEdit}
                    error={Boolean(error)}
                    helperText={
                      error ??
                      `Default ${fallback.toLocaleString('en-US')}${
                        changed ? ' (changed)' : ''
                      }`
                    }
                    inputProps={{ inputMode: 'numeric', 'data-path': path }}
                    onChange={e => setField(section, field, e.target.value)}
                  />
                </Grid>
              );
            })}
          </Grid>
        </Box>
      ))}
      {formErrors.map(text => (
        <Box mt={2} key={text}>
          <Alert severity="error">{text}</Alert>
        </Box>
      ))}
      {saved && (
        <Box mt={2}>
          <Alert severity="success">{saved}</Alert>
        </Box>
      )}
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        <Button
          variant="contained"
          color="primary"
          disabled={!canEdit || !dirty || saving}
          onClick={save}
        >
          Save limits
        </Button>
        <Button
          disabled={!canEdit || saving}
          onClick={() => {
            setValues(toForm(loaded.defaults));
            setFieldErrors({});
            setSaved(undefined);
          }}
        >
          Fill in defaults
        </Button>
        <Button
          disabled={!dirty || saving}
          onClick={() => {
            setValues(toForm(loaded.limits));
            setFieldErrors({});
            setFormErrors([]);
          }}
        >
          Discard changes
        </Button>
      </Box>
      {!canEdit && (
        <Box mt={1}>
          <Typography variant="caption" color="textSecondary">
            Only operators and admins may change the limits.
          </Typography>
        </Box>
      )}
    </InfoCard>
  );
}
