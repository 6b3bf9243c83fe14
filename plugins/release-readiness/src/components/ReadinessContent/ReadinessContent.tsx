import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLinks, useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { EntityReadiness } from '@release-readiness/plugin-common';
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
