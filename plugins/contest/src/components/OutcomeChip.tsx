import Chip from '@material-ui/core/Chip';

const LABELS: Record<string, string> = {
  correct: 'Correct',
  incorrect: 'Incorrect',
  already_solved: 'Already solved',
};

/** A submission's outcome. */
export function OutcomeChip(props: { outcome: string }) {
  const { outcome } = props;
  return (
    <Chip
      size="small"
      label={LABELS[outcome] ?? outcome}
      color={outcome === 'correct' ? 'primary' : 'default'}
      variant={outcome === 'incorrect' ? 'outlined' : 'default'}
    />
  );
}
