import { Verdict } from '@release-readiness/plugin-common';
import Typography from '@material-ui/core/Typography';
import CheckCircle from '@material-ui/icons/CheckCircle';
import Block from '@material-ui/icons/Block';
import HourglassEmpty from '@material-ui/icons/HourglassEmpty';
import { useReleaseReadinessTranslation } from '../../translation';

const STYLE: Record<
  Verdict,
  {
    colour: string;
    Icon: typeof CheckCircle;
    word: 'go' | 'noGo' | 'inProgress';
  }
> = {
  GO: { colour: '#1b5e20', Icon: CheckCircle, word: 'go' },
  'NO-GO': { colour: '#b71c1c', Icon: Block, word: 'noGo' },
  'IN PROGRESS': {
    colour: '#0d47a1',
    Icon: HourglassEmpty,
    word: 'inProgress',
  },
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
  const { t } = useReleaseReadinessTranslation();
  const { colour, Icon, word } = STYLE[props.verdict];
  return (
    <Typography
      variant={props.size === 'large' ? 'h3' : 'h5'}
      component="p"
      style={{ color: colour, display: 'flex', alignItems: 'center', gap: 8 }}
    >
      <Icon aria-hidden fontSize="inherit" />
      <span>{t(`verdictLabel.${word}`)}</span>
    </Typography>
  );
}
