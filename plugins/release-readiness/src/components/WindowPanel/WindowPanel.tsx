import { FormEvent, useEffect, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  BackstageUserIdentity,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Entity } from '@backstage/catalog-model';
import {
  GateWithEvaluation,
  isGateEditable,
  nextAllowedSlot,
  nextOccurrence,
  ReleaseWindow,
  windowAt,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage } from '../shared/errors';
import { formatTime } from '../shared/format';
import { PeopleNames } from '../shared/PersonName';
import { TextWithNames } from '../shared/TextWithNames';
import { NextWindows } from './NextWindows';
import { PlannedTimeForm } from './PlannedTimeForm';

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
}

/** The occurrence of a blocking window that matters for the planned time. */
function blockingOccurrence(window: ReleaseWindow, plannedAt?: string) {
  const planned = plannedAt ? new Date(plannedAt) : undefined;
  if (!planned || Number.isNaN(planned.getTime())) return undefined;
  return window.kind === 'freeze'
    ? windowAt(window, planned)
    : nextOccurrence(window, planned);
}

function Period({ start, end }: { start: Date; end: Date }) {
  return (
    <>
      from{' '}
      <time dateTime={start.toISOString()}>
        {formatTime(start.toISOString())}
      </time>{' '}
      to{' '}
      <time dateTime={end.toISOString()}>{formatTime(end.toISOString())}</time>
    </>
  );
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function ExceptionForm({
  gate,
  window,
  onChange,
}: {
  gate: GateWithEvaluation;
  window: ReleaseWindow;
  onChange(gate: GateWithEvaluation): void;
}) {
  const api = useApi(releaseReadinessApiRef);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const fieldId = `window-exception-reason-${window.id}`;

  if (!open) {
    return (
      <Button
        variant="outlined"
        onClick={() => setOpen(true)}
        aria-label={`Approve exception to ${window.name}`}
      >
        Approve exception
      </Button>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    if (!text) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.approveWindowException(gate.id, {
        windowId: window.id,
        reason: text,
      });
      setOpen(false);
      setReason('');
      onChange(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={`Exception to ${window.name}`}
    >
      <TextField
        id={fieldId}
        label={`Why release during ${window.name}?`}
        value={reason}
        onChange={e => {
          setReason(e.target.value);
          if (e.target.value.trim()) {
            setMissing(false);
          }
        }}
        required
        error={missing}
        helperText={
          missing
            ? 'Give a reason: the exception is recorded in the audit trail.'
            : 'Recorded in the audit trail with your name.'
        }
        multiline
        minRows={2}
        fullWidth
        variant="outlined"
        margin="dense"
        disabled={busy}
      />
      {error && <Alert severity="error">{error}</Alert>}
      <Box mt={1} display="flex" style={{ gap: 8 }}>
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy}
        >
          Approve exception
        </Button>
        <Button onClick={() => setOpen(false)} disabled={busy}>
          Back
        </Button>
      </Box>
    </form>
  );
}

/**
 * The release windows of a gate: its planned time, whether a window blocks
 * it, the next freeze, and exceptions for approvers.
 *
 * @public
 */
export function WindowPanel(props: WindowPanelProps) {
  const { gate, windows, onChange, canEdit = false } = props;
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
  return (
    <div id="window">
      <InfoCard title="Release window">
        <Typography variant="body1">
          Planned release:{' '}
          {gate.plannedAt ? (
            <time dateTime={gate.plannedAt}>{formatTime(gate.plannedAt)}</time>
          ) : (
            'not set'
          )}
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
            Release window condition:{' '}
            <strong>{condition.met ? 'met' : 'not met'}</strong>
          </Typography>
        ) : (
          <Typography variant="body2" color="textSecondary">
            No release window was checked for this gate.
          </Typography>
        )}
        {blockers.length > 0 && (
          <ul aria-label="Release window blockers">
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
            Next allowed release time:{' '}
            <time dateTime={slot.start.toISOString()}>
              {formatTime(slot.start.toISOString())}
            </time>
            {slot.end && (
              <>
                {' '}
                (open until{' '}
                <time dateTime={slot.end.toISOString()}>
                  {formatTime(slot.end.toISOString())}
                </time>
                )
              </>
            )}
            , your time.
          </Typography>
        )}

        {blocking.map(window => {
          const isApprover = window.approvers.some(a =>
            claims.includes(lower(a)),
          );
          const occurrence = blockingOccurrence(window, gate.plannedAt);
          return (
            <Box
              key={window.id}
              component="section"
              aria-label={`Blocking ${window.kind}: ${window.name}`}
              mt={2}
              p={1}
              border={1}
              borderColor="divider"
              borderRadius={4}
            >
              <Typography variant="subtitle2" component="h3">
                Blocked by the {window.kind} {window.name}
              </Typography>
              {occurrence && (
                <Typography
                  variant="body2"
                  data-testid={`window-dates-${window.id}`}
                >
                  {window.kind === 'freeze'
                    ? 'The freeze runs '
                    : 'Releases are allowed only in this train; the next runs '}
                  <Period start={occurrence.start} end={occurrence.end} /> (your
                  time).
                </Typography>
              )}
              {window.description && (
                <Typography variant="body2">{window.description}</Typography>
              )}
              <Typography variant="body2" color="textSecondary">
                Exception status: needed.{' '}
                {window.approvers.length ? (
                  <>
                    Approvers: <PeopleNames refs={window.approvers} /> (each
                    must approve).
                  </>
                ) : (
                  'Nobody may approve an exception: move the release.'
                )}
              </Typography>
              {open && isApprover && (
                <Box mt={1}>
                  <ExceptionForm
                    gate={gate}
                    window={window}
                    onChange={updated => {
                      setApproved(list => [
                        ...list.filter(a => a.windowId !== window.id),
                        { windowId: window.id, name: window.name },
                      ]);
                      onChange(updated);
                    }}
                  />
                </Box>
              )}
            </Box>
          );
        })}

        {approved.length > 0 && (
          <Box mt={2}>
            {approved.map(a => (
              <Alert key={a.windowId} severity="success">
                Exception status: you approved an exception to {a.name}.{' '}
                {blocking.some(w => w.id === a.windowId)
                  ? 'It still needs the other approvers named above.'
                  : 'It no longer blocks this gate.'}
              </Alert>
            ))}
          </Box>
        )}

        <NextWindows windows={applicable} now={new Date(nowMs)} />
      </InfoCard>
    </div>
  );
}
