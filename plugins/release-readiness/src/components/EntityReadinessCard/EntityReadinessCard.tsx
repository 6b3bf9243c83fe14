import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { useEntityReadiness } from '../../hooks/useEntityReadiness';
import { VerdictLabel } from '../VerdictLabel';

/**
 * The overview card of an entity's release readiness: verdict, score, number
 * of blockers, and a link to the Readiness tab.
 *
 * @public
 */
export function EntityReadinessCard() {
  const { entity } = useEntity();
  const { value, loading, error } = useEntityReadiness(entity);
  const { namespace = 'default', name } = entity.metadata;
  const tab = `/catalog/${namespace}/${entity.kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/readiness`;

  return (
    <InfoCard
      title="Release readiness"
      deepLink={{ title: 'Open the Readiness tab', link: tab }}
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && !value.currentGate && (
        <Typography variant="body2">
          No release gate yet.{' '}
          <Link to={tab}>Open one on the Readiness tab</Link>.
        </Typography>
      )}
      {value?.currentGate && (
        <>
          <Typography variant="subtitle1">
            Release {value.currentGate.release}
          </Typography>
          <VerdictLabel verdict={value.currentGate.evaluation.verdict} />
          <Typography variant="body2">
            Score {value.currentGate.evaluation.score} / 100 ·{' '}
            {value.currentGate.evaluation.blockers.length === 1
              ? '1 blocker'
              : `${value.currentGate.evaluation.blockers.length} blockers`}
          </Typography>
        </>
      )}
    </InfoCard>
  );
}
