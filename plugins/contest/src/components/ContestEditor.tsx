import { useState, type ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid, { type GridSize } from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField, { type TextFieldProps } from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  Contest,
  ContestCreateRequest,
  ContestRegistration,
  ContestScoringDefaultsInput,
  ContestUpdateRequest,
} from '@flagstage/plugin-contest-common';
import { errorText } from '@flagstage/plugin-flagstage-react';
import { fromLocalInput, toLocalInput } from './util';

/** The form's fields, as typed. */
type Values = {
  slug: string;
  name: string;
  startsAt: string;
  endsAt: string;
  freezeAt: string;
  divisions: string;
  teamSizeLimit: string;
  registration: ContestRegistration;
  registrationCode: string;
  submissionRatePerMinute: string;
  maxAttempts: string;
  initial: string;
  minimum: string;
  decay: string;
  value: string;
};

type Errors = Partial<Record<keyof Values, string>>;

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

function initialValues(contest?: Contest): Values {
  const scoring = contest?.scoringDefaults ?? {};
  const num = (n: number | null | undefined) =>
    n === undefined || n === null ? '' : String(n);
  return {
    slug: contest?.slug ?? '',
    name: contest?.name ?? '',
    startsAt: toLocalInput(contest?.startsAt),
    endsAt: toLocalInput(contest?.endsAt),
    freezeAt: toLocalInput(contest?.freezeAt),
    divisions: (contest?.divisions ?? []).join(', '),
    teamSizeLimit: num(contest?.teamSizeLimit ?? 4),
    registration: contest?.registration ?? 'open',
    registrationCode: '',
    submissionRatePerMinute: num(contest?.submissionRatePerMinute ?? 10),
    maxAttempts: num(contest?.maxAttempts),
    initial: num(scoring.initial),
    minimum: num(scoring.minimum),
    decay: num(scoring.decay),
    value: num(scoring.value),
  };
}

/** A whole number in [min, max], or the problem with it. */
function wholeNumber(
  text: string,
  min: number,
  max: number,
): number | { error: string } {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return { error: 'must be a whole number' };
  const n = Number(t);
  if (n < min || n > max) return { error: `must be ${min}–${max}` };
  return n;
}

/**
 * Checks the form the way the backend does (adminRouter's zod schema and
 * ContestService) and builds the request. `existing` is the contest being
 * edited; without it the form creates one.
 */
export function validateContestForm(
  values: Values,
  existing?: Contest,
): {
  errors: Errors;
  request?: ContestCreateRequest | ContestUpdateRequest;
} {
  const errors: Errors = {};
  const request: Partial<ContestCreateRequest> = {};

  if (!existing) {
    if (!SLUG.test(values.slug.trim()))
      errors.slug =
        '2–63 lower-case letters, digits and -, starting with a letter or digit';
    request.slug = values.slug.trim();
  }
  const name = values.name.trim();
  if (!name) errors.name = 'required';
  else if (name.length > 200) errors.name = 'at most 200 characters';
  request.name = name;

  const startsAt = fromLocalInput(values.startsAt);
  const endsAt = fromLocalInput(values.endsAt);
  const freezeAt = fromLocalInput(values.freezeAt);
  if (!startsAt) errors.startsAt = 'required';
  if (!endsAt) errors.endsAt = 'required';
  else if (startsAt && Date.parse(endsAt) <= Date.parse(startsAt))
    errors.endsAt = 'must be after the start';
  if (
    freezeAt &&
    startsAt &&
    endsAt &&
    (Date.parse(freezeAt) < Date.parse(startsAt) ||
      Date.parse(freezeAt) > Date.parse(endsAt))
  )
    errors.freezeAt = 'must lie between the start and the end';
  request.startsAt = startsAt;
  request.endsAt = endsAt;
  if (freezeAt) request.freezeAt = freezeAt;
  else if (existing) request.freezeAt = null;

  const divisions = values.divisions
    .split(',')
    .map(d => d.trim())
    .filter(Boolean);
  if (divisions.length > 20) errors.divisions = 'at most 20 divisions';
  else if (divisions.some(d => d.length > 64))
    errors.divisions = 'each at most 64 characters';
  else if (new Set(divisions).size !== divisions.length)
    errors.divisions = 'a division is named twice';
  if (divisions.length > 0 || existing) request.divisions = divisions;

  const teamSize = wholeNumber(values.teamSizeLimit, 1, 100);
  if (typeof teamSize === 'number') request.teamSizeLimit = teamSize;
  else errors.teamSizeLimit = teamSize.error;

  request.registration = values.registration;
  const code = values.registrationCode;
  if (code) {
    if (code.length < 8) errors.registrationCode = 'at least 8 characters';
    else if (code.length > 200)
      errors.registrationCode = 'at most 200 characters';
    request.registrationCode = code;
  } else if (
    values.registration === 'invite' &&
    existing?.registration !== 'invite'
  ) {
    errors.registrationCode = 'an invite-only contest needs a code';
  }

  const rate = wholeNumber(values.submissionRatePerMinute, 1, 600);
  if (typeof rate === 'number') request.submissionRatePerMinute = rate;
  else errors.submissionRatePerMinute = rate.error;

  if (values.maxAttempts.trim()) {
    const max = wholeNumber(values.maxAttempts, 1, 100000);
    if (typeof max === 'number') request.maxAttempts = max;
    else errors.maxAttempts = max.error;
  } else if (existing) {
    request.maxAttempts = null;
  }

  const scoring: ContestScoringDefaultsInput = {};
  for (const key of ['initial', 'minimum', 'value'] as const) {
    if (!values[key].trim()) continue;
    const n = wholeNumber(values[key], 0, 100000);
    if (typeof n === 'number') scoring[key] = n;
    else errors[key] = n.error;
  }
  if (values.decay.trim()) {
    const n = Number(values.decay.trim());
    if (!Number.isFinite(n) || n <= 0 || n > 1000000)
      errors.decay = 'must be a number above 0, at most 1000000';
    else scoring.decay = n;
  }
  if (
    scoring.initial !== undefined &&
    scoring.minimum !== undefined &&
    scoring.minimum > scoring.initial
  )
    errors.minimum = 'must not exceed the initial value';
  if (Object.keys(scoring).length > 0 || existing)
    request.scoringDefaults = scoring;

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    request: existing ? request : (request as ContestCreateRequest),
  };
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Grid item xs={12}>
      <Typography variant="subtitle2" gutterBottom>
        {props.title}
      </Typography>
      <Grid container spacing={2}>
        {props.children}
      </Grid>
    </Grid>
  );
}

/**
 * The contest form: window, freeze, divisions, team size, registration,
 * submission limits and scoring defaults. Creates a contest, or edits
 * `contest` when given. Problems show under their fields; the backend's
 * message above the buttons.
 */
export function ContestEditor(props: {
  contest?: Contest;
  disabled?: boolean;
  submitLabel?: string;
  onSubmit: (
    request: ContestCreateRequest | ContestUpdateRequest,
  ) => Promise<void>;
  onCancel?: () => void;
}) {
  const { contest, disabled } = props;
  const [values, setValues] = useState<Values>(() => initialValues(contest));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const set = (key: keyof Values) => (e: { target: { value: string } }) =>
    setValues(v => ({ ...v, [key]: e.target.value }));

  const field = (
    key: keyof Values,
    label: string,
    { helperText, ...extra }: TextFieldProps = {},
    width: GridSize = 4,
  ) => (
    <Grid item xs={12} sm={6} md={width}>
      <TextField
        {...extra}
        id={`contest-${key}`}
        label={label}
        variant="outlined"
        size="small"
        fullWidth
        value={values[key]}
        onChange={set(key)}
        disabled={disabled || busy}
        error={Boolean(errors[key])}
        helperText={errors[key] ?? helperText}
      />
    </Grid>
  );

  const submit = async () => {
    setFailure(undefined);
    const { errors: found, request } = validateContestForm(values, contest);
    setErrors(found);
    if (!request) return;
    setBusy(true);
    try {
      await props.onSubmit(request);
      if (contest) setValues(v => ({ ...v, registrationCode: '' }));
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const dateProps: TextFieldProps = {
    type: 'datetime-local',
    InputLabelProps: { shrink: true },
  };

  return (
    <form
      noValidate
      aria-label={contest ? 'Contest settings' : 'New contest'}
      onSubmit={e => {
        e.preventDefault();
        submit();
      }}
    >
      <Grid container spacing={3}>
        <Section title="Contest">
          {!contest &&
            field('slug', 'Slug', {
              helperText: 'In URLs; cannot change later',
            })}
          {field('name', 'Name', {}, contest ? 12 : 8)}
        </Section>
        <Section title="Window (your time zone)">
          {field('startsAt', 'Starts at', dateProps)}
          {field('endsAt', 'Ends at', dateProps)}
          {field('freezeAt', 'Scoreboard freezes at', {
            ...dateProps,
            helperText: 'Optional: the public board stops updating then',
          })}
        </Section>
        <Section title="Teams and registration">
          {field('divisions', 'Divisions', {
            helperText: 'Comma-separated, e.g. open, student',
          })}
          {field('teamSizeLimit', 'Team size limit', {
            inputProps: { inputMode: 'numeric' },
          })}
          <Grid item xs={12} sm={6} md={4}>
            <TextField
              select
              id="contest-registration"
              label="Registration"
              variant="outlined"
              size="small"
              fullWidth
              value={values.registration}
              onChange={set('registration')}
              disabled={disabled || busy}
            >
              <MenuItem value="open">Open</MenuItem>
              <MenuItem value="invite">Invite code</MenuItem>
              <MenuItem value="closed">Closed</MenuItem>
            </TextField>
          </Grid>
          {values.registration === 'invite' &&
            field('registrationCode', 'Registration code', {
              type: 'password',
              autoComplete: 'new-password',
              helperText:
                contest?.registration === 'invite'
                  ? 'Leave empty to keep the current code'
                  : 'At least 8 characters; contestants enter it to register',
            })}
        </Section>
        <Section title="Submissions">
          {field('submissionRatePerMinute', 'Submissions per minute', {
            helperText: 'Per team and challenge',
            inputProps: { inputMode: 'numeric' },
          })}
          {field('maxAttempts', 'Max attempts', {
            helperText: 'Per team and challenge; empty: unlimited',
            inputProps: { inputMode: 'numeric' },
          })}
        </Section>
        <Section title="Scoring defaults (for challenges that leave them out)">
          {field('initial', 'Initial value', {}, 3)}
          {field('minimum', 'Minimum value', {}, 3)}
          {field('decay', 'Decay', {}, 3)}
          {field('value', 'Static value', {}, 3)}
        </Section>
      </Grid>
      {failure && (
        <Box mt={2}>
          <Alert severity="error">{failure}</Alert>
        </Box>
      )}
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={disabled || busy}
        >
          {props.submitLabel ?? (contest ? 'Save' : 'Create contest')}
        </Button>
        {props.onCancel && (
          <Button onClick={props.onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
      </Box>
    </form>
  );
}
