import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLinks, useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  EntityReadiness,
  GateWithEvaluation,
} from '@release-readiness/plugin-common';
import { useEntityReadiness } from '../../hooks/useEntityReadiness';

function GateOwnersCard({ readiness }: { readiness: EntityReadiness }) {
  const fromCatalog = readiness.gateOwners.filter(
    o => o.source === 'catalog-owner',
  );
  const assigned = readiness.gateOwners.filter(o => o.source === 'assigned');
  return (
    <InfoCard title="Gate owners">
      {readiness.gateOwners.length === 0 ? (
        <Typography variant="body2">
          Nobody owns this entity in the catalog, so nobody can keep its gate
          yet. Set <code>spec.owner</code> in its catalog file.
        </Typography>
      ) : (
        <>
          {fromCatalog.length > 0 && (
            <Typography variant="body2" component="div">
              Catalog owner:{' '}
              <EntityRefLinks
                entityRefs={fromCatalog.map(o => o.ref)}
                defaultKind="group"
              />
            </Typography>
          )}
          {assigned.length > 0 && (
            <Typography variant="body2" component="div">
              Also assigned:{' '}
              <EntityRefLinks entityRefs={assigned.map(o => o.ref)} />
            </Typography>
          )}
        </>
      )}
    </InfoCard>
  );
}

const VERDICT_COLOURS = {
  GO: '#1b5e20',
  'NO-GO': '#b71c1c',
  'IN PROGRESS': '#0d47a1',
} as const;

/** The current gate at a glance: verdict, score and what blocks it. */
function CurrentGateCard({ gate }: { gate: GateWithEvaluation }) {
  const { evaluation } = gate;
  return (
    <InfoCard
      title={`Release ${gate.release}`}
      subheader={`${gate.templateName} v${gate.templateVersion} · ${gate.state}`}
    >
      <Typography
        variant="h4"
        component="p"
        style={{ color: VERDICT_COLOURS[evaluation.verdict] }}
      >
        {evaluation.verdict}
      </Typography>
      <Typography variant="body1" paragraph>
        Health score {evaluation.score} / 100
        {evaluation.ready && gate.state === 'in-progress'
          ? ' · ready for a GO decision'
          : ''}
      </Typography>
      {evaluation.blockers.length > 0 && (
        <>
          <Typography variant="subtitle2">
            {evaluation.blockers.length} blocker
            {evaluation.blockers.length === 1 ? '' : 's'}
          </Typography>
          <ul aria-label="Blockers">
            {evaluation.blockers.map((blocker, index) => (
              <li key={index}>
                <Typography variant="body2">{blocker.message}</Typography>
              </li>
            ))}
          </ul>
        </>
      )}
    </InfoCard>
  );
}

/**
 * The Readiness tab of an entity page.
 *
 * @public
 */
export function ReadinessContent() {
  const { entity } = useEntity();
  const { value, loading, error } = useEntityReadiness(entity);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return null;
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={8}>
        {value.currentGate && <CurrentGateCard gate={value.currentGate} />}
        {value.currentGate === null && (
          <EmptyState
            missing="content"
            title="No release gate yet"
            description={`${value.title} has no release gate yet. When a release of ${value.title} is on its way to production, its gate owners open a gate for it here.`}
          />
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        <GateOwnersCard readiness={value} />
      </Grid>
    </Grid>
  );
}
