import { FormEvent, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReleaseWindow } from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage, isConflict } from '../shared/errors';
import { ReasonForm } from './ReasonForm';

/** The fields of the edit form, as typed. */
interface Draft {
  name: string;
  description: string;
  from: string;
  to: string;
  cron: string;
  duration: string;
  timezone: string;
  approvers: string;
  reason: string;
}

function draftOf(window: ReleaseWindow): Draft {
  return {
    name: window.name,
    description: window.description ?? '',
    from: window.from ?? '',
    to: window.to ?? '',
    cron: window.cron ?? '',
    duration: window.duration ?? '',
    timezone: window.timezone ?? '',
    approvers: window.approvers.join(', '),
    reason: '',
  };
}

function EditForm({
  window,
  onDone,
  onClose,
  onReload,
}: {
  window: ReleaseWindow;
  onDone(): void;
  onClose(): void;
  onReload(): void;
}) {
  const api = useApi(releaseReadinessApiRef);
  const [draft, setDraft] = useState<Draft>(() => draftOf(window));
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; conflict: boolean }>();
  const oneOff = Boolean(window.from || window.to);
  const field = (key: keyof Draft, label: string, extra: object = {}) => (
    <TextField
      id={`window-edit-${window.id}-${key}`}
      label={label}
      value={draft[key]}
      onChange={e => {
        const value = e.target.value;
        setDraft(d => ({ ...d, [key]: value }));
        if (key === 'reason' && value.trim()) setMissing(false);
      }}
      fullWidth
      variant="outlined"
      margin="dense"
      disabled={busy}
      {...extra}
    />
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const reason = draft.reason.trim();
    if (!reason) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.editWindow(window.id, {
        name: draft.name,
        ...(draft.description.trim()
          ? { description: draft.description.trim() }
          : {}),
        kind: window.kind,
        ...(oneOff
          ? { from: draft.from.trim(), to: draft.to.trim() }
          : {
              cron: draft.cron.trim(),
              duration: draft.duration.trim(),
              ...(draft.timezone.trim()
                ? { timezone: draft.timezone.trim() }
                : {}),
            }),
        scope: window.scope,
        approvers: draft.approvers
          .split(',')
          .map(a => a.trim())
          .filter(Boolean),
        version: window.version ?? 1,
        reason,
      });
      onDone();
    } catch (e) {
      setError({ message: errorMessage(e), conflict: isConflict(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${window.name}`}>
      {field('name', 'Name', { required: true })}
      {field('description', 'Description')}
      {oneOff ? (
        <>
          {field('from', 'From (ISO 8601)', { required: true })}
          {field('to', 'To (ISO 8601)', { required: true })}
        </>
      ) : (
        <>
          {field('cron', 'Starts (cron)', { required: true })}
          {field('duration', 'Lasts (ISO 8601 duration, e.g. PT2H)', {
            required: true,
          })}
          {field('timezone', 'Time zone (IANA, default UTC)')}
        </>
      )}
      {field('approvers', 'Exception approvers (refs, comma-separated)')}
      {field('reason', 'Why this change?', {
        required: true,
        error: missing,
        helperText: missing
          ? 'Give a reason: it is kept in the window history with your name.'
          : 'Kept in the window history with your name. Exceptions approved for the window as it was lapse.',
      })}
      {error && (
        <Alert
          severity="error"
          action={
            error.conflict ? (
              <Button color="inherit" size="small" onClick={onReload}>
                Reload
              </Button>
            ) : undefined
          }
        >
          {error.message}
        </Alert>
      )}
      <Box mt={1} display="flex" style={{ gap: 8 }}>
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy}
        >
          Save window
        </Button>
        <Button onClick={onClose} disabled={busy}>
          Back
        </Button>
      </Box>
    </form>
  );
}

/** Props of {@link WindowMaintenance}. */
export interface WindowMaintenanceProps {
  /** The windows that apply to the entity. */
  windows: ReleaseWindow[];
  /** Called after an edit or retirement, and to reload after a conflict. */
  onWindowsChange(): void;
}

/**
 * For admins (the window permission): the API windows that apply to this
 * entity, each with Edit and Retire. Windows from app-config are changed in
 * app-config and say so.
 */
export function WindowMaintenance(props: WindowMaintenanceProps) {
  const api = useApi(releaseReadinessApiRef);
  const [editing, setEditing] = useState<string>();
  if (!props.windows.length) return null;
  return (
    <Box mt={2} component="section" aria-label="Maintain release windows">
      <Typography variant="subtitle2" component="h3">
        Maintain release windows
      </Typography>
      {props.windows.map(window => (
        <Box
          key={window.id}
          mt={1}
          p={1}
          border={1}
          borderColor="divider"
          borderRadius={4}
          data-testid={`window-maintain-${window.id}`}
        >
          <Typography variant="body2">
            <strong>{window.name}</strong> ({window.kind}
            {window.version ? `, version ${window.version}` : ''})
          </Typography>
          {window.source === 'config' && (
            <Typography variant="body2" color="textSecondary">
              Defined in app-config: change it there.
            </Typography>
          )}
          {window.source !== 'config' && editing === window.id && (
            <EditForm
              window={window}
              onClose={() => setEditing(undefined)}
              onReload={props.onWindowsChange}
              onDone={() => {
                setEditing(undefined);
                props.onWindowsChange();
              }}
            />
          )}
          {window.source !== 'config' && editing !== window.id && (
            <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
              <Button
                variant="outlined"
                onClick={() => setEditing(window.id)}
                aria-label={`Edit ${window.name}`}
              >
                Edit
              </Button>
              <ReasonForm
                id={`window-retire-${window.id}`}
                openLabel="Retire"
                openAriaLabel={`Retire ${window.name}`}
                formName={`Retire ${window.name}`}
                fieldLabel="Why retire it?"
                submitLabel="Retire window"
                color="secondary"
                missingText="Give a reason: it is kept in the window history with your name."
                helperText="A retired window blocks no gate; it is kept, with its history, for the records that refer to it."
                onSubmit={async reason => {
                  await api.retireWindow(window.id, {
                    version: window.version ?? 1,
                    reason,
                  });
                  props.onWindowsChange();
                }}
              />
            </Box>
          )}
        </Box>
      ))}
    </Box>
  );
}
