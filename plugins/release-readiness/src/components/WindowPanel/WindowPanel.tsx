import { useCallback, useEffect, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  BackstageUserIdentity,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Entity } from '@backstage/catalog-model';
import {
  GateWindowExceptions,
  GateWithEvaluation,
  isGateEditable,
  nextAllowedSlot,
  nextOccurrence,
  ReleaseWindow,
  windowAt,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { useReleaseReadinessTranslation } from '../../translation';
import { formatTime } from '../shared/format';
import { TextWithNames } from '../shared/TextWithNames';
import { NextWindows } from './NextWindows';
import { PlannedTimeForm } from './PlannedTimeForm';
import { RequestStatus, WindowExceptions } from './WindowExceptions';
import { WindowMaintenance } from './WindowMaintenance';

/** A release window with its next occurrence, as the API lists it. @public */
export type WindowWithNext = ReleaseWindow & {
  next?: { start: string; end: string };
};

/** Props of {@link WindowPanel}. @public */
export interface WindowPanelProps {
  gate: GateWithEvaluation;
  /** The windows that apply to the gate's entity (`GET /windows?entityRef=`). */
  windows: WindowWithNext[];
  /** Whether the viewer may change the gate (its planned time). */
  canEdit?: boolean;
  /**
   * The catalog entity. Which windows apply to it is the backend's answer
   * (`windows` should be `GET /windows?entityRef=` of it), not matched here.
   */
  entity?: Entity;
  onChange(gate: GateWithEvaluation): void;
  onConflict?(): void;
  /** Whether the viewer may edit and retire release windows (admins). */
  canManageWindows?: boolean;
  /** Called after a window was edited or retired: load windows and gate again. */
  onWindowsChange?(): void;
}

/** The occurrence of a blocking window that matters for the planned time. */
function blockingOccurrence(window: ReleaseWindow, plannedAt?: string) {
  const planned = plannedAt ? new Date(plannedAt) : undefined;
  if (!planned || Number.isNaN(planned.getTime())) return undefined;
  return window.kind === 'freeze'
    ? windowAt(window, planned)
    : nextOccurrence(window, planned);
}

function Time({ at }: { at: Date }) {
  return (
    <time dateTime={at.toISOString()}>{formatTime(at.toISOString())}</time>
  );
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/**
 * The release windows of a gate: its planned time, whether a window blocks
 * it, the next freeze, and exceptions for approvers.
 *
 * @public
 */
export function WindowPanel(props: WindowPanelProps) {
  const { gate, windows, onChange, canEdit = false } = props;
  const { t } = useReleaseReadinessTranslation();
  // The windows are those the backend lists for the entity (the
  // evaluation's own scope matching): none is matched again here.
  const applicable = windows;
  const identityApi = useApi(identityApiRef);
  const [identity, setIdentity] = useState<BackstageUserIdentity>();
  useEffect(() => {
    let current = true;
    identityApi.getBackstageIdentity().then(
      value => current && setIdentity(value),
      () => current && setIdentity(undefined),
    );
    return () => {
      current = false;
    };
  }, [identityApi]);
  const claims = identity
    ? [identity.userEntityRef, ...identity.ownershipEntityRefs].map(lower)
    : [];

  // The gate's exception requests and approvals, loaded again whenever the
  // gate changes. An API that cannot answer leaves the requests unknown.
  const api = useApi(releaseReadinessApiRef);
  const [exceptions, setExceptions] = useState<GateWindowExceptions>();
  const [loads, setLoads] = useState(0);
  const reloadExceptions = useCallback(() => setLoads(n => n + 1), []);
  useEffect(() => {
    let current = true;
    Promise.resolve()
      .then(() => api.getWindowExceptions(gate.id))
      .then(
        value => current && setExceptions(value),
        () => current && setExceptions(undefined),
      );
    return () => {
      current = false;
    };
  }, [api, gate.id, gate.version, loads]);

  const condition = gate.evaluation.conditions.find(c => c.id === 'window');
  const blockers = condition?.blockers ?? [];
  const open = isGateEditable(gate.state);
  const [approved, setApproved] = useState<
    { windowId: string; name: string }[]
  >([]);

  // A window blocks when a blocker names it; the evaluation quotes names.
  const blocking = windows.filter(w =>
    blockers.some(b => b.message.includes(`'${w.name}'`)),
  );
  // The next time no window blocks: from the planned time, or from now
  // when that is later (a slot in the past is no use).
  const nowMs = Date.now();
  const plannedMs = gate.plannedAt ? new Date(gate.plannedAt).getTime() : NaN;
  const slot =
    condition && !condition.met
      ? nextAllowedSlot(
          applicable,
          new Date(
            Number.isNaN(plannedMs) ? nowMs : Math.max(nowMs, plannedMs),
          ),
        )
      : undefined;
  const editable = canEdit && gate.state === 'in-progress';
  // Exceptions approved for windows that no longer block: the latest request
  // of each such window, so everyone sees why the window lets the gate pass.
  const latestRequests = new Map(
    (exceptions?.requests ?? []).map(r => [r.windowId, r] as const),
  );
  const granted = [...latestRequests.values()].filter(
    r => r.state === 'approved' && !blocking.some(w => w.id === r.windowId),
  );
  return (
    <div id="window">
      <InfoCard title={t('windowPanel.title')}>
        <Typography variant="body1">
          {t('windowPanel.planned', {
            time: gate.plannedAt ? (
              <time dateTime={gate.plannedAt}>
                {formatTime(gate.plannedAt)}
              </time>
            ) : (
              t('windowPanel.notSet')
            ),
          })}
        </Typography>
        {editable && (
          <PlannedTimeForm
            gate={gate}
            {...(slot ? { proposal: slot.start.toISOString() } : {})}
            onChange={onChange}
            {...(props.onConflict ? { onConflict: props.onConflict } : {})}
          />
        )}
        {condition ? (
          <Typography variant="body2">
            {t('windowPanel.condition', {
              state: (
                <strong>
                  {condition.met
                    ? t('windowPanel.met')
                    : t('windowPanel.notMet')}
                </strong>
              ),
            })}
          </Typography>
        ) : (
          <Typography variant="body2" color="textSecondary">
            {t('windowPanel.noCheck')}
          </Typography>
        )}
        {blockers.length > 0 && (
          <ul aria-label={t('windowPanel.blockers')}>
            {blockers.map((blocker, i) => (
              <li key={i}>
                <Typography variant="body2">
                  <TextWithNames text={blocker.message} />
                </Typography>
              </li>
            ))}
          </ul>
        )}

        {slot && (
          <Typography variant="body2" data-testid="next-allowed-slot">
            {slot.end
              ? t('windowPanel.nextSlotUntil', {
                  start: <Time at={slot.start} />,
                  end: <Time at={slot.end} />,
                })
              : t('windowPanel.nextSlot', { start: <Time at={slot.start} /> })}
          </Typography>
        )}

        {blocking.map(window => {
          const occurrence = blockingOccurrence(window, gate.plannedAt);
          return (
            <Box
              key={window.id}
              component="section"
              aria-label={t(`windowPanel.blockingLabel.${window.kind}`, {
                name: window.name,
              })}
              mt={2}
              p={1}
              border={1}
              borderColor="divider"
              borderRadius={4}
            >
              <Typography variant="subtitle2" component="h3">
                {t(`windowPanel.blockedBy.${window.kind}`, {
                  name: window.name,
                })}
              </Typography>
              {occurrence && (
                <Typography
                  variant="body2"
                  data-testid={`window-dates-${window.id}`}
                >
                  {t(
                    window.kind === 'freeze'
                      ? 'windowPanel.freezeRuns'
                      : 'windowPanel.trainRuns',
                    {
                      start: <Time at={occurrence.start} />,
                      end: <Time at={occurrence.end} />,
                    },
                  )}
                </Typography>
              )}
              {window.description && (
                <Typography variant="body2">{window.description}</Typography>
              )}
              <WindowExceptions
                gate={gate}
                window={window}
                claims={claims}
                canRequest={canEdit && open}
                {...(exceptions ? { exceptions } : {})}
                onChange={onChange}
                onExceptionsChange={reloadExceptions}
                onApproved={approvedWindow =>
                  setApproved(list => [
                    ...list.filter(a => a.windowId !== approvedWindow.id),
                    { windowId: approvedWindow.id, name: approvedWindow.name },
                  ])
                }
              />
            </Box>
          );
        })}

        {approved.length > 0 && (
          <Box mt={2}>
            {approved.map(a => (
              <Alert key={a.windowId} severity="success">
                {t('windowPanel.approved', { name: a.name })}
                {blocking.some(w => w.id === a.windowId)
                  ? t('windowPanel.stillNeeds')
                  : t('windowPanel.noLongerBlocks')}
              </Alert>
            ))}
          </Box>
        )}

        {granted.length > 0 && (
          <Box
            component="section"
            aria-label={t('windowPanel.granted')}
            mt={2}
            data-testid="exceptions-granted"
          >
            {granted.map(request => (
              <Box key={request.id} mt={1}>
                <Typography variant="subtitle2" component="h3">
                  {t('windowPanel.grantedTo', {
                    name:
                      windows.find(w => w.id === request.windowId)?.name ??
                      request.windowId,
                  })}
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  <RequestStatus request={request} waitingFor={[]} />
                </Typography>
              </Box>
            ))}
          </Box>
        )}

        {props.canManageWindows && props.onWindowsChange && (
          <WindowMaintenance
            windows={applicable}
            onWindowsChange={props.onWindowsChange}
          />
        )}

        <NextWindows windows={applicable} now={new Date(nowMs)} />
      </InfoCard>
    </div>
  );
}
