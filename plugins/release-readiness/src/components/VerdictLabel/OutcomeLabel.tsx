import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Block from '@material-ui/icons/Block';
import CheckCircle from '@material-ui/icons/CheckCircle';
import HighlightOff from '@material-ui/icons/HighlightOff';
import HourglassEmpty from '@material-ui/icons/HourglassEmpty';
import Publish from '@material-ui/icons/Publish';
import Undo from '@material-ui/icons/Undo';
import { GateOutcome } from '@release-readiness/plugin-common';
import { useReleaseReadinessTranslation } from '../../translation';
import { outcomeLabel } from '../shared/format';

/**
 * The colour and icon of each outcome. Every colour reaches a contrast of
 * at least 4.5:1 on white (WCAG AA for normal text); the words are always
 * there too, so colour is never the only signal.
 */
const OUTCOME_STYLE: Record<
  GateOutcome['kind'],
  { colour: string; Icon: typeof CheckCircle }
> = {
  GO: { colour: '#1b5e20', Icon: CheckCircle },
  'NO-GO': { colour: '#b71c1c', Icon: Block },
  'IN PROGRESS': { colour: '#0d47a1', Icon: HourglassEmpty },
  released: { colour: '#1b5e20', Icon: Publish },
  'rolled-back': { colour: '#8c3b00', Icon: Undo },
  cancelled: { colour: '#545454', Icon: HighlightOff },
};

/** The colour an outcome is written in (at least 4.5:1 on white). */
export function outcomeColour(kind: GateOutcome['kind']): string {
  return OUTCOME_STYLE[kind].colour;
}

/**
 * A gate's outcome in words with an icon, sized for a table row: the final
 * state of a gate that is over, the verdict of an open one.
 *
 * @public
 */
export function OutcomeCell(props: { outcome: GateOutcome }) {
  const { t } = useReleaseReadinessTranslation();
  const { colour, Icon } = OUTCOME_STYLE[props.outcome.kind];
  return (
    <Box
      component="span"
      display="inline-flex"
      alignItems="center"
      style={{ color: colour, gap: 4, whiteSpace: 'nowrap' }}
    >
      <Icon aria-hidden fontSize="small" />
      {outcomeLabel(props.outcome, t)}
    </Box>
  );
}

/**
 * A gate's outcome as a headline: the final state of a gate that is over,
 * the verdict of an open one.
 *
 * @public
 */
export function OutcomeLabel(props: { outcome: GateOutcome }) {
  const { t } = useReleaseReadinessTranslation();
  const { colour, Icon } = OUTCOME_STYLE[props.outcome.kind];
  return (
    <Typography
      variant="h5"
      component="p"
      style={{ color: colour, display: 'flex', alignItems: 'center', gap: 8 }}
    >
      <Icon aria-hidden fontSize="inherit" />
      <span>{outcomeLabel(props.outcome, t)}</span>
    </Typography>
  );
}
