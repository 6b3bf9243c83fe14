import { FormEvent, useState } from 'react';
import { Entity } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  allowedGateActions,
  canOpenNextGate,
  DecisionRequest,
  EntityRollup,
  GateWithEvaluation,
  goHold,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { DecisionTemplateOption, OpenGateForm } from '../OpenGateForm';
import { errorMessage } from '../shared/errors';
import { formatTime, stateLabel } from '../shared/format';
import { PersonName } from '../shared/PersonName';
import { TextWithNames } from '../shared/TextWithNames';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

/** Props of {@link DecisionPanel}. @public */
export interface DecisionPanelProps {
  gate: GateWithEvaluation | null;
  entityRef: { kind: string; namespace: string; name: string };
  /** Templates to offer when opening a gate; loaded from the API when absent. */
  templates?: DecisionTemplateOption[];
  /** The template that applies to the entity. */
  defaultTemplate?: string;
  canDecide: boolean;
  /** For a system or domain: its roll-up, which the open-gate form proposes from. */
  rollup?: EntityRollup;
  /** May release a GO that no longer holds, with a reason (release managers). */
  canOverride?: boolean;
  canOpen: boolean;
  /** The catalog entity, to tell which template applies and why. */
  entity?: Entity;
  onChange(gate: GateWithEvaluation): void;
}

const DEFAULT_GO_REASON = 'All conditions met';

/**
 * How far `plannedAt` lies ahead of `now` in words ("3 days", "5 hours"),
 * or undefined when it is not ahead (or not set).
 */
export function timeAhead(
  plannedAt: string | undefined,
  now: Date,
  t: ReleaseReadinessT,
): string | undefined {
  const planned = plannedAt ? new Date(plannedAt).getTime() : NaN;
  const ms = planned - now.getTime();
  if (!(ms > 60_000)) return undefined;
  const hours = Math.round(ms / 3_600_000);
  if (hours >= 48) {
    return t('decisionPanel.days', { count: Math.round(hours / 24) });
  }
  if (hours >= 1) return t('decisionPanel.hours', { count: hours });
  const minutes = Math.round(ms / 60_000);
  return t('decisionPanel.minutes', { count: minutes });
}

type ActionKey =
  | 'go'
  | 'noGo'
  | 'reopen'
  | 'release'
  | 'override'
  | 'cancel'
  | 'rollback';

/**
 * A move of the gate, as offered by a button and confirmed in a dialog; its
 * words are the messages `decisionPanel.actions.<key>.*`.
 */
interface Action {
  key: ActionKey;
  reasonRequired: boolean;
  request(reason: string): DecisionRequest;
}

const ACTIONS: Record<ActionKey, Action> = {
  go: {
    key: 'go',
    reasonRequired: false,
    request: reason => ({
      verdict: 'go',
      reason: reason || DEFAULT_GO_REASON,
    }),
  },
  noGo: {
    key: 'noGo',
    reasonRequired: true,
    request: reason => ({ verdict: 'no-go', reason }),
  },
  reopen: {
    key: 'reopen',
    reasonRequired: true,
    request: reason => ({ transition: 'reopen', reason }),
  },
  release: {
    key: 'release',
    reasonRequired: false,
    request: reason => ({
      transition: 'release',
      ...(reason ? { reason } : {}),
    }),
  },
  override: {
    key: 'override',
    reasonRequired: true,
    request: reason => ({ transition: 'release', override: true, reason }),
  },
  cancel: {
    key: 'cancel',
    reasonRequired: true,
    request: reason => ({ transition: 'cancel', reason }),
  },
  rollback: {
    key: 'rollback',
    reasonRequired: true,
    request: reason => ({ transition: 'rollback', reason }),
  },
};

function ActionDialog({
  action,
  gate,
  onClose,
  onChange,
}: {
  action: Action;
  gate: GateWithEvaluation;
  onClose(): void;
  onChange(gate: GateWithEvaluation): void;
}) {
  const { t } = useReleaseReadinessTranslation();
  const api = useApi(releaseReadinessApiRef);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const titleId = `decision-dialog-${action.key}`;
  const early =
    action.key === 'release' || action.key === 'override'
      ? timeAhead(gate.plannedAt, new Date(), t)
      : undefined;
  let helperText: string | undefined;
  if (missing) {
    helperText = t('decisionPanel.reasonMissing');
  } else if (action.key === 'go') {
    helperText = t('decisionPanel.goReasonDefault', {
      reason: DEFAULT_GO_REASON,
    });
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    if (action.reasonRequired && !text) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.decide(gate.id, action.request(text));
      onClose();
      onChange(updated);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} aria-labelledby={titleId}>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          {t(`decisionPanel.actions.${action.key}.title`)}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {t(`decisionPanel.actions.${action.key}.description`)}
          </DialogContentText>
          {early && (
            <Box mb={2}>
              <Alert severity="warning" data-testid="release-early">
                {t('decisionPanel.releaseEarly', {
                  plannedAt: formatTime(gate.plannedAt),
                  early,
                })}
              </Alert>
            </Box>
          )}
          <TextField
            id={`${titleId}-reason`}
            label={t(`decisionPanel.actions.${action.key}.reasonLabel`)}
            value={reason}
            onChange={e => {
              setReason(e.target.value);
              if (e.target.value.trim()) {
                setMissing(false);
              }
            }}
            required={action.reasonRequired}
            error={missing}
            helperText={helperText}
            multiline
            minRows={2}
            fullWidth
            variant="outlined"
            disabled={busy}
          />
          {error && (
            <Box mt={2}>
              <Alert severity="error">{error}</Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {t(`decisionPanel.actions.${action.key}.backLabel`)}
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            {t(`decisionPanel.actions.${action.key}.label`)}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/**
 * The decision on a gate: record GO or NO-GO, move it on (reopen, release,
 * roll back, cancel), or open a gate for the next release.
 *
 * @public
 */
export function DecisionPanel(props: DecisionPanelProps) {
  const { t } = useReleaseReadinessTranslation();
  const { gate, canDecide, onChange } = props;
  const [action, setAction] = useState<Action>();

  // Whether a recorded GO still holds, as -common's goHold says: a lapsed
  // one is released only by a release manager's override.
  const hold = gate ? goHold(gate, gate.evaluation) : undefined;
  const lapsed = Boolean(hold && !hold.holds);

  // What the gate's state allows, as -common's lifecycle says.
  const actions: Action[] = gate
    ? allowedGateActions(gate.state).flatMap(a => {
        if (a === 'release' && lapsed) {
          return props.canOverride ? [ACTIONS.override] : [];
        }
        return [ACTIONS[a === 'no-go' ? 'noGo' : a]];
      })
    : [];
  const canOpenNext = canOpenNextGate(gate?.state);
  const blockerCount = gate?.evaluation.blockers.length ?? 0;
  const notReadyReason =
    gate && !gate.evaluation.ready
      ? t('decisionPanel.notReady', { count: blockerCount })
      : undefined;
  const lastDecision = gate?.decisions.length
    ? [...gate.decisions].sort((a, b) => a.at.localeCompare(b.at))[
        gate.decisions.length - 1
      ]
    : undefined;

  return (
    <div id="decision">
      <InfoCard title={t('decisionPanel.title')}>
        {gate && (
          <>
            <Typography variant="body1">
              {t('decisionPanel.releaseState', {
                release: gate.release,
                state: <strong>{stateLabel(gate.state, t)}</strong>,
              })}
            </Typography>
            {lastDecision && (
              <Typography variant="body2" color="textSecondary">
                {t('decisionPanel.lastDecision', {
                  verdict:
                    lastDecision.verdict === 'go'
                      ? t('verdictLabel.go')
                      : t('verdictLabel.noGo'),
                  by: <PersonName entityRef={lastDecision.by} />,
                  at: formatTime(lastDecision.at),
                  reason: lastDecision.reason,
                })}
              </Typography>
            )}
            {hold && lapsed && (
              <Box mt={2}>
                <Alert severity="error" data-testid="go-lapsed">
                  <AlertTitle>{t('decisionPanel.lapsedTitle')}</AlertTitle>
                  <TextWithNames text={hold.message} />.{' '}
                  {props.canOverride
                    ? t('decisionPanel.lapsedOverride')
                    : t('decisionPanel.lapsedNoOverride')}
                </Alert>
              </Box>
            )}
          </>
        )}
        {actions.length > 0 && (
          <Box
            mt={2}
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            style={{ gap: 8 }}
          >
            {actions.map(a => {
              const blocked = a.key === 'go' && Boolean(notReadyReason);
              return (
                <Box
                  key={a.key}
                  display="flex"
                  alignItems="center"
                  style={{ gap: 8 }}
                >
                  <Button
                    variant={a.key === 'go' ? 'contained' : 'outlined'}
                    color={a.key === 'go' ? 'primary' : 'default'}
                    disabled={!canDecide || blocked}
                    onClick={() => setAction(a)}
                    aria-describedby={
                      blocked ? 'decision-go-blocked' : undefined
                    }
                  >
                    {t(`decisionPanel.actions.${a.key}.label`)}
                  </Button>
                  {blocked && (
                    <Typography
                      variant="body2"
                      id="decision-go-blocked"
                      component="span"
                    >
                      {notReadyReason}
                    </Typography>
                  )}
                </Box>
              );
            })}
          </Box>
        )}
        {gate && actions.length > 0 && !canDecide && (
          <Typography variant="body2" color="textSecondary">
            {t('shared.notAllowedToDecide')}
          </Typography>
        )}
        {canOpenNext && (
          <OpenGateForm
            entityRef={props.entityRef}
            templates={props.templates}
            defaultTemplate={props.defaultTemplate}
            {...(props.entity ? { entity: props.entity } : {})}
            canOpen={props.canOpen}
            {...(props.rollup ? { rollup: props.rollup } : {})}
            onChange={onChange}
          />
        )}
      </InfoCard>
      {gate && action && (
        <ActionDialog
          key={action.key}
          action={action}
          gate={gate}
          onClose={() => setAction(undefined)}
          onChange={onChange}
        />
      )}
    </div>
  );
}
