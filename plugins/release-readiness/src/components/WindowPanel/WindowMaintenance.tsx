import { FormEvent, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReleaseWindow } from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage, isConflict } from '../shared/errors';
import { useReleaseReadinessTranslation } from '../../translation';
import { ReasonForm } from './ReasonForm';

/** The text fields of the edit form, as typed. */
interface Draft {
  name: string;
  description: string;
  from: string;
  to: string;
  cron: string;
  duration: string;
  timezone: string;
  approvers: string;
  systems: string;
  entities: string;
  tags: string;
  reason: string;
}

/** A comma-separated field as a list, blanks dropped. */
function listOf(text: string): string[] {
  return text
    .split(',')
    .map(a => a.trim())
    .filter(Boolean);
}

/**
 * The scope as edited: every entity, or the systems, entities and tags
 * named (each list only when it names something); undefined when it names
 * nothing, which the form refuses.
 */
function scopeOf(
  all: boolean,
  draft: Draft,
): ReleaseWindow['scope'] | undefined {
  if (all) return { all: true };
  const systems = listOf(draft.systems);
  const entities = listOf(draft.entities);
  const tags = listOf(draft.tags);
  if (!systems.length && !entities.length && !tags.length) return undefined;
  return {
    ...(systems.length ? { systems } : {}),
    ...(entities.length ? { entities } : {}),
    ...(tags.length ? { tags } : {}),
  };
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
    systems: (window.scope.systems ?? []).join(', '),
    entities: (window.scope.entities ?? []).join(', '),
    tags: (window.scope.tags ?? []).join(', '),
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
  const { t } = useReleaseReadinessTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftOf(window));
  const [missing, setMissing] = useState(false);
  const [all, setAll] = useState(Boolean(window.scope.all));
  const [noScope, setNoScope] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; conflict: boolean }>();
  const oneOff = Boolean(window.from || window.to);
  const field = (key: keyof Draft, extra: object = {}) => (
    <TextField
      id={`window-edit-${window.id}-${key}`}
      label={t(`windowMaintenance.fields.${key}`)}
      value={draft[key]}
      onChange={e => {
        const value = e.target.value;
        setDraft(d => ({ ...d, [key]: value }));
        if (key === 'reason' && value.trim()) setMissing(false);
        if (['systems', 'entities', 'tags'].includes(key)) setNoScope(false);
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
    const scope = scopeOf(all, draft);
    setMissing(!reason);
    setNoScope(!scope);
    if (!reason || !scope) return;
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
        scope,
        approvers: listOf(draft.approvers),
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
    <form
      onSubmit={submit}
      noValidate
      aria-label={t('windowMaintenance.editForm', { name: window.name })}
    >
      {field('name', { required: true })}
      {field('description')}
      {oneOff ? (
        <>
          {field('from', { required: true })}
          {field('to', { required: true })}
        </>
      ) : (
        <>
          {field('cron', { required: true })}
          {field('duration', { required: true })}
          {field('timezone')}
        </>
      )}
      <FormControlLabel
        control={
          <Checkbox
            checked={all}
            onChange={e => {
              setAll(e.target.checked);
              setNoScope(false);
            }}
            disabled={busy}
            color="primary"
          />
        }
        label={t('windowMaintenance.fields.all')}
      />
      {!all && (
        <>
          {field('systems', {
            error: noScope,
            helperText: noScope
              ? t('windowMaintenance.scopeMissing')
              : t('windowMaintenance.scopeHelper'),
          })}
          {field('entities')}
          {field('tags')}
        </>
      )}
      {field('approvers')}
      {field('reason', {
        required: true,
        error: missing,
        helperText: missing
          ? t('windowMaintenance.reasonMissing')
          : t('windowMaintenance.reasonHelper'),
      })}
      {error && (
        <Alert
          severity="error"
          action={
            error.conflict ? (
              <Button color="inherit" size="small" onClick={onReload}>
                {t('windowMaintenance.reload')}
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
          {t('windowMaintenance.save')}
        </Button>
        <Button onClick={onClose} disabled={busy}>
          {t('windowMaintenance.back')}
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
  const { t } = useReleaseReadinessTranslation();
  if (!props.windows.length) return null;
  return (
    <Box mt={2} component="section" aria-label={t('windowMaintenance.title')}>
      <Typography variant="subtitle2" component="h3">
        {t('windowMaintenance.title')}
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
            {window.version
              ? t('windowMaintenance.summaryVersion', {
                  name: <strong>{window.name}</strong>,
                  kind: t(`windowMaintenance.kind.${window.kind}`),
                  version: String(window.version),
                })
              : t('windowMaintenance.summary', {
                  name: <strong>{window.name}</strong>,
                  kind: t(`windowMaintenance.kind.${window.kind}`),
                })}
          </Typography>
          {window.source === 'config' && (
            <Typography variant="body2" color="textSecondary">
              {t('windowMaintenance.fromConfig')}
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
                aria-label={t('windowMaintenance.editAria', {
                  name: window.name,
                })}
              >
                {t('windowMaintenance.edit')}
              </Button>
              <ReasonForm
                id={`window-retire-${window.id}`}
                openLabel={t('windowMaintenance.retire.open')}
                openAriaLabel={t('windowMaintenance.retire.openAria', {
                  name: window.name,
                })}
                formName={t('windowMaintenance.retire.form', {
                  name: window.name,
                })}
                fieldLabel={t('windowMaintenance.retire.field')}
                submitLabel={t('windowMaintenance.retire.submit')}
                color="secondary"
                missingText={t('windowMaintenance.retire.missing')}
                helperText={t('windowMaintenance.retire.helper')}
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
