import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { formatTime } from '@flagstage/plugin-flagstage-react';
import { fromLocalInput, toLocalInput } from './util';

/** A challenge's release time, editable in place; empty: with the contest. */
export function ReleaseTimeEditor(props: {
  name: string;
  releaseAt: string | null;
  disabled?: boolean;
  onSave: (releaseAt: string | null) => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');

  if (!editing) {
    const future = props.releaseAt && Date.parse(props.releaseAt) > Date.now();
    return (
      <Box display="flex" alignItems="center" style={{ gap: 4 }}>
        <Typography
          variant="body2"
          color={future ? 'primary' : 'textSecondary'}
        >
          {props.releaseAt ? formatTime(props.releaseAt) : 'With the contest'}
        </Typography>
        <Button
          size="small"
          disabled={props.disabled}
          aria-label={`Change release of ${props.name}`}
          onClick={() => {
            setValue(toLocalInput(props.releaseAt));
            setEditing(true);
          }}
        >
          Change
        </Button>
      </Box>
    );
  }

  return (
    <Box display="flex" alignItems="center" style={{ gap: 4 }}>
      <TextField
        type="datetime-local"
        size="small"
        value={value}
        inputProps={{ 'aria-label': `Release time of ${props.name}` }}
        onChange={e => setValue(e.target.value)}
      />
      <Button
        size="small"
        color="primary"
        disabled={props.disabled || !fromLocalInput(value)}
        onClick={async () => {
          setEditing(false);
          await props.onSave(fromLocalInput(value) ?? null);
        }}
      >
        Save
      </Button>
      <Button
        size="small"
        disabled={props.disabled}
        onClick={async () => {
          setEditing(false);
          await props.onSave(null);
        }}
      >
        Clear
      </Button>
      <Button size="small" onClick={() => setEditing(false)}>
        Cancel
      </Button>
    </Box>
  );
}
