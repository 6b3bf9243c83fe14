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
import { NOT_ALLOWED_TO_DECIDE } from '../shared/messages';
import { PersonName } from '../shared/PersonName';
import { TextWithNames } from '../shared/TextWithNames';

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
): string | undefined {
  const planned = plannedAt ? new Date(plannedAt).getTime() : NaN;
  const ms = planned - now.getTime();
  if (!(ms > 60_000)) return undefined;
  const hours = Math.round(ms / 3_600_000);
  if (hours >= 48) return `${Math.round(hours / 24)} days`;
  if (hours >= 1) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** A move of the gate, as offered by a button and confirmed in a dialog. */
interface Action {
  key: string;
  label: string;
  title: string;
  description: string;
  reasonLabel: string;
  reasonRequired: boolean;
  /** The dialog's button that leaves without doing it. */
  backLabel: string;
  request(reason: string): DecisionRequest;
}

const ACTIONS: Record<string, Action> = {
  go: {
    key: 'go',
    backLabel: 'Not yet',
    label: 'Record GO',
    title: 'Record a GO decision',
    description:
      'Every condition is met. The decision is recorded with the state of the gate it was taken on.',
    reasonLabel: 'Reason (optional)',
    reasonRequired: false,
    request: reason => ({
      verdict: 'go',
      reason: reason || DEFAULT_GO_REASON,
    }),
  },
  noGo: {
    key: 'noGo',
    backLabel: 'Back',
    label: 'Record NO-GO',
    title: 'Record a NO-GO decision',
    description:
      'Say why this release must not go out, so that the team knows what to fix.',
    reasonLabel: 'Reason',
    reasonRequired: true,
    request: reason => ({ verdict: 'no-go', reason }),
  },
  reopen: {
    key: 'reopen',
    backLabel: 'Keep it as it is',
    label: 'Reopen gate',
    title: 'Reopen the gate',
    description:
      'The gate goes back to in progress: checklist, votes and risk can change again.',
    reasonLabel: 'Reason',
    reasonRequired: true,
    request: reason => ({ transition: 'reopen', reason }),
  },
  release: {
    key: 'release',
    backLabel: 'Not yet',
    label: 'Mark released',
    title: 'Mark the release as released',
    description: 'Record that this release went out to production.',
    reasonLabel: 'Note (optional)',
    reasonRequired: false,
    request: reason => ({
      transition: 'release',
      ...(reason ? { reason } : {}),
    }),
  },
  override: {
    key: 'override',
    backLabel: 'Do not release',
    label: 'Release anyway',
    title: 'Release although the GO no longer holds',
    description:
      'The GO recorded for this release no longer holds. As a release manager you may release it anyway: your reason and what no longer held are kept in the audit trail and the dossier.',
    reasonLabel: 'Reason',
    reasonRequired: true,
    request: reason => ({ transition: 'release', override: true, reason }),
  },
  cancel: {
    key: 'cancel',
    backLabel: 'Keep gate',
    label: 'Cancel gate',
    title: 'Cancel the gate',
    description:
      'A cancelled gate cannot be reopened; a new gate must be opened for the release.',
    reasonLabel: 'Reason',
    reasonRequired: true,
    request: reason => ({ transition: 'cancel', reason }),
  },
  rollback: {
    key: 'rollback',
    backLabel: 'Back',
    label: 'Record rollback',
    title: 'Record a rollback',
    description: 'Record that this release was rolled back.',
    reasonLabel: 'Reason',
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
  const api = useApi(releaseReadinessApiRef);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const titleId = `decision-dialog-${action.key}`;
  const early =
    action.key === 'release' || action.key === 'override'
      ? timeAhead(gate.plannedAt, new Date())
      : undefined;
  let helperText: string | undefined;
  if (missing) {
    helperText = 'Give a reason: it is recorded in the audit trail.';
  } else if (action.key === 'go') {
    helperText = `Left empty, "${DEFAULT_GO_REASON}" is recorded.`;
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
        <DialogTitle id={titleId}>{action.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{action.description}</DialogContentText>
          {early && (
            <Box mb={2}>
              <Alert severity="warning" data-testid="release-early">
                This release is planned for {formatTime(gate.plannedAt)}, which
                is {early} from now. Marking it released now records that it
                went out ahead of its plan; the release windows are checked
                against now.
              </Alert>
            </Box>
          )}
          <TextField
            id={`${titleId}-reason`}
            label={action.reasonLabel}
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
            {action.backLabel}
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            {action.label}
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
      ? `GO needs every condition met: ${blockerCount} blocker${
          blockerCount === 1 ? '' : 's'
        }`
      : undefined;
  const lastDecision = gate?.decisions.length
    ? [...gate.decisions].sort((a, b) => a.at.localeCompare(b.at))[
        gate.decisions.length - 1
      ]
    : undefined;

  return (
    <div id="decision">
      <InfoCard title="Decision">
        {gate && (
          <>
            <Typography variant="body1">
              Release {gate.release}: <strong>{stateLabel(gate.state)}</strong>
            </Typography>
            {lastDecision && (
              <Typography variant="body2" color="textSecondary">
                Last decision: {lastDecision.verdict === 'go' ? 'GO' : 'NO-GO'}{' '}
                by <PersonName entityRef={lastDecision.by} /> on{' '}
                {formatTime(lastDecision.at)} — {lastDecision.reason}
              </Typography>
            )}
            {hold && lapsed && (
              <Box mt={2}>
                <Alert severity="error" data-testid="go-lapsed">
                  <AlertTitle>The GO no longer holds</AlertTitle>
                  <TextWithNames text={hold.message} />.{' '}
                  {props.canOverride
                    ? 'The release is refused until every condition holds again, unless you release it anyway with a reason.'
                    : 'The release is refused until every condition holds again; only a release manager may release it anyway.'}
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
                    {a.label}
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
            {NOT_ALLOWED_TO_DECIDE}
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
