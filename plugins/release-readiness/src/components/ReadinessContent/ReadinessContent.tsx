import { useEffect, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EntityRefLinks, useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  EntityReadiness,
  GateWithEvaluation,
  isDebriefDue,
} from '@release-readiness/plugin-common';
import { useEntityReadiness } from '../../hooks/useEntityReadiness';
import { useEntityRollup } from '../../hooks/useEntityRollup';
import { useGatePermissions } from '../../hooks/useGatePermissions';
import { useGateUpdates } from '../../hooks/useGateUpdates';
import { useTemplatesAndWindows } from '../../hooks/useTemplatesAndWindows';
import { Checklist } from '../Checklist';
import { DecisionPanel } from '../DecisionPanel';
import { FacilitatorCard } from '../Facilitator';
import { DebriefCard } from '../Debrief';
import { GateHeader } from '../GateHeader';
import { History } from '../History';
import { PendingApprovals } from '../PendingApprovals';
import { RiskForm } from '../RiskForm';
import { RollupCard } from '../Rollup';
import { hasRollup } from '../shared/readinessTab';
import { Signoffs } from '../Signoffs';
import { WindowPanel } from '../WindowPanel';
import { PeopleNames, PersonName } from '../shared/PersonName';
import { useReleaseReadinessTranslation } from '../../translation';

function GateOwnersCard({ readiness }: { readiness: EntityReadiness }) {
  const { t } = useReleaseReadinessTranslation();
  const fromCatalog = readiness.gateOwners.filter(
    o => o.source === 'catalog-owner',
  );
  const assigned = readiness.gateOwners.filter(o => o.source === 'assigned');
  return (
    <InfoCard title={t('readinessContent.gateOwners')}>
      {readiness.gateOwners.length === 0 ? (
        <Typography variant="body2">
          {t('readinessContent.noOwners', { field: <code>spec.owner</code> })}
        </Typography>
      ) : (
        <>
          {fromCatalog.length > 0 && (
            <Typography variant="body2" component="div">
              {t('readinessContent.catalogOwner')}{' '}
              <EntityRefLinks
                entityRefs={fromCatalog.map(o => o.ref)}
                defaultKind="group"
              />
            </Typography>
          )}
          {assigned.length > 0 && (
            <Typography variant="body2" component="div">
              {t('readinessContent.alsoAssigned')}{' '}
              <EntityRefLinks entityRefs={assigned.map(o => o.ref)} />
            </Typography>
          )}
        </>
      )}
      {readiness.template && (
        <Typography variant="body2" component="div">
          {t('readinessContent.template', {
            title: readiness.template.title,
            tier: String(readiness.template.tier),
            version: String(readiness.template.version),
          })}
        </Typography>
      )}
    </InfoCard>
  );
}

/**
 * The gate to show: the one a change just answered with, until a reload of
 * the entity brings a newer version of that gate (or another gate).
 */
function shownGate(
  loaded: GateWithEvaluation | null,
  answered: GateWithEvaluation | undefined,
): GateWithEvaluation | null {
  if (!answered) {
    return loaded;
  }
  if (
    loaded &&
    loaded.id === answered.id &&
    loaded.version > answered.version
  ) {
    return loaded;
  }
  return answered;
}

/**
 * The Readiness tab of an entity page: the current release at a glance, its
 * checklist, sign-offs, risk assessment, release window, decision and
 * history. People who may not change something see it read-only; the backend
 * decides again on every change.
 *
 * @public
 */
export function ReadinessContent() {
  const { t } = useReleaseReadinessTranslation();
  const { entity } = useEntity();
  const { value, loading, error, retry } = useEntityReadiness(entity);
  // What a change answered is shown at once: the reload that follows asks
  // the catalog and every gate again, and may take a while on a busy backend.
  const [answered, setAnswered] = useState<GateWithEvaluation>();
  useEffect(() => setAnswered(undefined), [value]);
  const { canEdit, canDecide, canOpen, canOverride, canManageWindows } =
    useGatePermissions(value?.entityRef);
  const { update, dismiss } = useGateUpdates(
    value ? shownGate(value.currentGate, answered) : null,
  );
  // The windows that apply to this entity, by the evaluation's own scopes.
  const context = useTemplatesAndWindows(stringifyEntityRef(entity));
  // Systems and domains: the roll-up of their parts for the current gate's
  // release, loaded again whenever the entity is.
  const rollup = useEntityRollup(
    entity,
    value ? shownGate(value.currentGate, answered)?.release : undefined,
    Boolean(value),
  );
  const entityRef = getCompoundEntityRef(entity);

  // While reloading, the previous value stays on screen, so that forms keep
  // what people typed (a conflict reloads the gate under them).
  if (loading && !value) {
    return <Progress />;
  }
  if (error && !value) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return null;
  }
  const gate = shownGate(value.currentGate, answered);
  const readOnly = Boolean(gate) && !canEdit && !canDecide;
  const onChange = (updated?: GateWithEvaluation) => {
    if (updated) {
      setAnswered(updated);
    }
    retry();
    rollup.retry();
  };
  const onConflict = () => retry();
  const reload = () => {
    if (update) setAnswered(update.gate);
    dismiss();
    retry();
  };
  const templates = (context.value?.templates ?? []).map(tpl => ({
    name: tpl.name,
    title: tpl.title,
    rapid: tpl.rapid,
    appliesTo: tpl.appliesTo,
  }));
  const gateOwners = value.gateOwners.map(o => o.ref);

  return (
    <Grid container spacing={3}>
      {(update || readOnly) && (
        <Grid item xs={12}>
          {update && (
            <Alert
              severity="info"
              role="status"
              data-testid="gate-updated"
              action={
                <Button color="inherit" size="small" onClick={reload}>
                  {t('readinessContent.reload')}
                </Button>
              }
            >
              {update.evidence
                ? t('readinessContent.newEvidence')
                : t('readinessContent.updatedBy', {
                    by: update.by ? (
                      <PersonName entityRef={update.by} />
                    ) : (
                      t('readinessContent.someoneElse')
                    ),
                  })}
            </Alert>
          )}
          {readOnly && (
            <Alert severity="info" data-testid="read-only">
              {value.gateOwners.length > 0
                ? t('readinessContent.readOnlyOwners', {
                    owners: <PeopleNames refs={gateOwners} />,
                  })
                : t('readinessContent.readOnly')}
            </Alert>
          )}
        </Grid>
      )}
      <Grid item xs={12}>
        {gate ? (
          <GateHeader gate={gate} canAct={canEdit || canDecide} />
        ) : (
          <EmptyState
            missing="content"
            title={t('readinessContent.noGateTitle')}
            description={t('readinessContent.noGateDescription', {
              title: value.title,
            })}
          />
        )}
      </Grid>
      {gate && isDebriefDue(gate.state) && (
        <Grid item xs={12}>
          <DebriefCard gate={gate} canEdit={canEdit} />
        </Grid>
      )}
      {hasRollup(entity.kind) && (
        <Grid item xs={12}>
          <RollupCard
            {...(rollup.value ? { rollup: rollup.value } : {})}
            loading={rollup.loading}
            {...(rollup.error ? { error: rollup.error } : {})}
            {...(gate ? { gate } : {})}
            canEdit={canEdit}
            onChange={onChange}
            onConflict={onConflict}
          />
        </Grid>
      )}
      <Grid item xs={12} md={8}>
        {gate && (
          <>
            <Checklist
              gate={gate}
              canEdit={canEdit}
              entityRef={entityRef}
              onChange={onChange}
              onConflict={onConflict}
            />
            <Signoffs gate={gate} gateOwners={gateOwners} onChange={onChange} />
            <RiskForm
              gate={gate}
              canEdit={canEdit}
              onChange={onChange}
              onConflict={onConflict}
            />
          </>
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        <DecisionPanel
          gate={gate}
          entityRef={entityRef}
          templates={templates}
          {...(value.template ? { defaultTemplate: value.template.name } : {})}
          entity={entity}
          canDecide={canDecide}
          canOverride={canOverride}
          canOpen={canOpen}
          {...(rollup.value ? { rollup: rollup.value } : {})}
          onChange={onChange}
        />
        {gate && <PendingApprovals gate={gate} onChange={onChange} />}
        {gate && (
          <WindowPanel
            gate={gate}
            windows={context.value?.windows ?? []}
            canEdit={canEdit}
            entity={entity}
            onChange={onChange}
            onConflict={onConflict}
            canManageWindows={canManageWindows}
            onWindowsChange={() => {
              context.retry();
              retry();
            }}
          />
        )}
        {gate && (
          <FacilitatorCard
            gate={gate}
            canEdit={canEdit}
            onChange={onChange}
            onConflict={onConflict}
          />
        )}
        <GateOwnersCard readiness={value} />
      </Grid>
      <Grid item xs={12}>
        <History
          gate={gate}
          earlierGates={value.earlierGates}
          canEdit={canEdit}
        />
      </Grid>
    </Grid>
  );
}
