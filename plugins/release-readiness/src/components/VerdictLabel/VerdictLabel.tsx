import { Verdict } from '@release-readiness/plugin-common';
import Typography from '@material-ui/core/Typography';
import CheckCircle from '@material-ui/icons/CheckCircle';
import Block from '@material-ui/icons/Block';
import HourglassEmpty from '@material-ui/icons/HourglassEmpty';

const STYLE: Record<Verdict, { colour: string; Icon: typeof CheckCircle }> = {
  GO: { colour: '#1b5e20', Icon: CheckCircle },
  'NO-GO': { colour: '#b71c1c', Icon: Block },
  'IN PROGRESS': { colour: '#0d47a1', Icon: HourglassEmpty },
};

/**
 * A verdict in words with an icon; the colour is never the only signal.
 *
 * @public
 */
export function VerdictLabel(props: {
  verdict: Verdict;
  size?: 'large' | 'normal';
}) {
  const { colour, Icon } = STYLE[props.verdict];
  return (
    <Typography
      variant={props.size === 'large' ? 'h3' : 'h5'}
      component="p"
      style={{ color: colour, display: 'flex', alignItems: 'center', gap: 8 }}
    >
      <Icon aria-hidden fontSize="inherit" />
      <span>{props.verdict}</span>
    </Typography>
  );
}
