import Chip from '@material-ui/core/Chip';
import type { Contest } from '@flagstage/plugin-contest-common';
import { contestPhase } from './util';

const LABELS = {
  upcoming: 'Upcoming',
  running: 'Running',
  frozen: 'Running, board frozen',
  ended: 'Ended',
} as const;

/** Upcoming, running, frozen or ended, now. */
export function ContestPhaseChip(props: { contest: Contest }) {
  const phase = contestPhase(props.contest);
  return (
    <Chip
      size="small"
      label={LABELS[phase]}
      color={phase === 'running' || phase === 'frozen' ? 'primary' : 'default'}
      variant={phase === 'ended' ? 'outlined' : 'default'}
    />
  );
}
