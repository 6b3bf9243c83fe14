import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  gateOutcome,
  GateState,
  Verdict,
} from '@release-readiness/plugin-common';
import { useEntityReadiness } from '../../hooks/useEntityReadiness';
import { OutcomeLabel } from '../VerdictLabel';
import { outcomeSentence } from '../shared/format';
import { useReleaseReadinessTranslation } from '../../translation';

/**
 * The overview card of an entity's release readiness: verdict, score, number
 * of blockers, and a link to the Readiness tab. A gate that is over shows its
 * final state (released, rolled back) and nothing to fix.
 *
 * @public
 */
export function EntityReadinessCard() {
  const { t } = useReleaseReadinessTranslation();
  const { entity } = useEntity();
  const { value, loading, error } = useEntityReadiness(entity);
  const { namespace = 'default', name } = entity.metadata;
  const tab = `/catalog/${namespace}/${entity.kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/readiness`;

  return (
    <InfoCard
      title={t('entityReadinessCard.title')}
      deepLink={{ title: t('entityReadinessCard.openTab'), link: tab }}
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && !value.currentGate && (
        <Typography variant="body2">
          {t('entityReadinessCard.noGate', {
            link: (
              <Link to={tab} underline="always">
                {t('entityReadinessCard.openOne')}
              </Link>
            ),
          })}
        </Typography>
      )}
      {value?.currentGate && <CurrentGate gate={value.currentGate} />}
    </InfoCard>
  );
}

function CurrentGate(props: {
  gate: {
    release: string;
    state: GateState;
    evaluation: { verdict: Verdict; score: number; blockers: unknown[] };
  };
}) {
  const { t } = useReleaseReadinessTranslation();
  const { gate } = props;
  const outcome = gateOutcome({
    state: gate.state,
    verdict: gate.evaluation.verdict,
    release: gate.release,
  });
  const blockers = gate.evaluation.blockers.length;
  return (
    <>
      <Typography variant="subtitle1" component="p">
        {t('entityReadinessCard.release', { release: gate.release })}
      </Typography>
      <OutcomeLabel outcome={outcome} />
      <Typography variant="body2">
        {outcome.showsEvaluation
          ? t('entityReadinessCard.score', {
              score: String(gate.evaluation.score),
              count: blockers,
            })
          : outcomeSentence(outcome, gate.release, t)}
      </Typography>
    </>
  );
}
