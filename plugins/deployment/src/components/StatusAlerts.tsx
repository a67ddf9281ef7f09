import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { errorText } from '@flagstage/plugin-flagstage-react';

/** The outcome of an action (stop, extend, build), for the page to show. */
export type ActionOutcome = { severity: 'success' | 'error'; text: string };

/** The last action's outcome, dismissable; nothing without one. */
export function OutcomeAlert(props: {
  outcome?: ActionOutcome;
  onClose: () => void;
}) {
  if (!props.outcome) return null;
  return (
    <Box mb={1}>
      <Alert severity={props.outcome.severity} onClose={props.onClose}>
        {props.outcome.text}
      </Alert>
    </Box>
  );
}

/** "Could not load <what>: <the backend's message>"; nothing without an error. */
export function LoadError(props: {
  what: string;
  error?: unknown;
  mb?: number;
}) {
  if (!props.error) return null;
  return (
    <Box mb={props.mb ?? 1}>
      <Alert severity="error">
        Could not load {props.what}: {errorText(props.error)}
      </Alert>
    </Box>
  );
}
