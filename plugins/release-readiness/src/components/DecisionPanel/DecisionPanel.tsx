import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
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
import {
  allowedGateActions,
  canOpenNextGate,
  gateStateLabel,
  GateWithEvaluation,
} from '@release-readiness/plugin-common';
import { DecisionRequest, releaseReadinessApiRef } from '../../api';
import { errorMessage } from '../shared/errors';

/** A template to choose from when opening a gate. @public */
export interface DecisionTemplateOption {
  name: string;
  title: string;
  rapid: boolean;
}

/** Props of {@link DecisionPanel}. @public */
export interface DecisionPanelProps {
  gate: GateWithEvaluation | null;
  entityRef: { kind: string; namespace: string; name: string };
  /** Templates to offer when opening a gate; loaded from the API when absent. */
  templates?: DecisionTemplateOption[];
  /** The template that applies to the entity. */
  defaultTemplate?: string;
  canDecide: boolean;
  canOpen: boolean;
  onChange(gate: GateWithEvaluation): void;
}

const NOT_ALLOWED = 'Only the gate owners or a release manager can decide.';
const DEFAULT_GO_REASON = 'All conditions met';

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      });
}

/** A move of the gate, as offered by a button and confirmed in a dialog. */
interface Action {
  key: string;
  label: string;
  title: string;
  description: string;
  reasonLabel: string;
  reasonRequired: boolean;
  request(reason: string): DecisionRequest;
}

const ACTIONS: Record<string, Action> = {
  go: {
    key: 'go',
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
    label: 'Reopen',
    title: 'Reopen the gate',
    description:
      'The gate goes back to in progress: checklist, votes and risk can change again.',
    reasonLabel: 'Reason',
    reasonRequired: true,
    request: reason => ({ transition: 'reopen', reason }),
  },
  release: {
    key: 'release',
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
  cancel: {
    key: 'cancel',
    label: 'Cancel',
    title: 'Cancel the gate',
    description:
      'A cancelled gate cannot be reopened; a new gate must be opened for the release.',
    reasonLabel: 'Reason',
    reasonRequired: true,
    request: reason => ({ transition: 'cancel', reason }),
  },
  rollback: {
    key: 'rollback',
    label: 'Roll back',
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
            Back
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

function toIso(local: string): string | undefined {
  if (!local) {
    return undefined;
  }
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function OpenGateForm({
  entityRef,
  templates: givenTemplates,
  defaultTemplate,
  canOpen,
  onChange,
}: Pick<
  DecisionPanelProps,
  'entityRef' | 'templates' | 'defaultTemplate' | 'canOpen' | 'onChange'
>) {
  const api = useApi(releaseReadinessApiRef);
  const loaded = useAsync(async () => {
    if (givenTemplates) {
      return givenTemplates;
    }
    const all = await api.listTemplates();
    return all.map(t => ({ name: t.name, title: t.title, rapid: t.rapid }));
  }, [api, givenTemplates]);
  const templates = loaded.value ?? givenTemplates ?? [];

  const [release, setRelease] = useState('');
  const [plannedAt, setPlannedAt] = useState('');
  const [template, setTemplate] = useState(defaultTemplate ?? '');
  const [rapidReason, setRapidReason] = useState('');
  const [errors, setErrors] = useState<{ release?: string; rapid?: string }>(
    {},
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const chosen = templates.find(t => t.name === template);
  const rapid = Boolean(chosen?.rapid);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (!release.trim()) {
      next.release = 'Name the release, for example 1.5.0.';
    }
    if (rapid && !rapidReason.trim()) {
      next.rapid = 'Say why this release must be expedited.';
    }
    setErrors(next);
    if (next.release || next.rapid) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const planned = toIso(plannedAt);
      const updated = await api.openGate(entityRef, {
        release: release.trim(),
        ...(template ? { template } : {}),
        ...(planned ? { plannedAt: planned } : {}),
        ...(rapid ? { rapidReason: rapidReason.trim() } : {}),
      });
      setRelease('');
      setPlannedAt('');
      setRapidReason('');
      onChange(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const disabled = busy || !canOpen;
  return (
    <Box mt={2}>
      <form onSubmit={submit} noValidate aria-labelledby="decision-open-title">
        <Typography variant="h6" component="h3" id="decision-open-title">
          Open a gate for the next release
        </Typography>
        {!canOpen && (
          <Typography variant="body2" color="textSecondary">
            {NOT_ALLOWED}
          </Typography>
        )}
        <TextField
          id="decision-open-release"
          label="Release"
          value={release}
          onChange={e => setRelease(e.target.value)}
          required
          error={Boolean(errors.release)}
          helperText={errors.release ?? 'The version going out, e.g. 1.5.0'}
          fullWidth
          margin="normal"
          disabled={disabled}
        />
        <TextField
          id="decision-open-planned"
          label="Planned release time"
          type="datetime-local"
          value={plannedAt}
          onChange={e => setPlannedAt(e.target.value)}
          InputLabelProps={{ shrink: true }}
          helperText="Your local time; release windows are checked against it."
          fullWidth
          margin="normal"
          disabled={disabled}
        />
        <TextField
          id="decision-open-template"
          label="Template"
          select
          SelectProps={{ native: true }}
          value={template}
          onChange={e => setTemplate(e.target.value)}
          InputLabelProps={{ shrink: true }}
          fullWidth
          margin="normal"
          disabled={disabled}
        >
          {!defaultTemplate && (
            <option value="">The template that applies to this entity</option>
          )}
          {templates.map(t => (
            <option key={t.name} value={t.name}>
              {t.title}
              {t.rapid ? ' (expedited)' : ''}
              {t.name === defaultTemplate ? ' (applies to this entity)' : ''}
            </option>
          ))}
        </TextField>
        {rapid && (
          <>
            <Alert severity="warning">
              {chosen?.title} is an expedited (rapid) template: it skips part of
              the usual checks. Choosing it needs a reason, which is recorded in
              the audit trail and shown with the gate.
            </Alert>
            <TextField
              id="decision-open-rapid-reason"
              label="Why expedite?"
              value={rapidReason}
              onChange={e => setRapidReason(e.target.value)}
              required
              error={Boolean(errors.rapid)}
              helperText={errors.rapid}
              multiline
              minRows={2}
              fullWidth
              margin="normal"
              variant="outlined"
              disabled={disabled}
            />
          </>
        )}
        {error && (
          <Box mt={1}>
            <Alert severity="error">{error}</Alert>
          </Box>
        )}
        <Box mt={1}>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={disabled}
          >
            Open gate
          </Button>
        </Box>
      </form>
    </Box>
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

  // What the gate's state allows, as -common's lifecycle says.
  const actions: Action[] = gate
    ? allowedGateActions(gate.state).map(
        a => ACTIONS[a === 'no-go' ? 'noGo' : a],
      )
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
              Release {gate.release}:{' '}
              <strong>{gateStateLabel(gate.state)}</strong>
            </Typography>
            {lastDecision && (
              <Typography variant="body2" color="textSecondary">
                Last decision: {lastDecision.verdict === 'go' ? 'GO' : 'NO-GO'}{' '}
                by {lastDecision.by} on {formatTime(lastDecision.at)} —{' '}
                {lastDecision.reason}
              </Typography>
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
            {NOT_ALLOWED}
          </Typography>
        )}
        {canOpenNext && (
          <OpenGateForm
            entityRef={props.entityRef}
            templates={props.templates}
            defaultTemplate={props.defaultTemplate}
            canOpen={props.canOpen}
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
