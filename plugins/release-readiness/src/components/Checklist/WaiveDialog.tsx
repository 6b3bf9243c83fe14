import { FormEvent, ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { GateItem } from '@release-readiness/plugin-common';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

export interface WaiverDraft {
  justification: string;
  /** The value of a `datetime-local` input, in the browser's time zone. */
  expiresAt: string;
}

export interface WaiverErrors {
  justification?: string;
  expiresAt?: string;
}

/** Checks a waiver before any request; empty when it may be sent. */
export function validateWaiver(
  draft: WaiverDraft,
  t: ReleaseReadinessT,
  now: Date = new Date(),
): WaiverErrors {
  const errors: WaiverErrors = {};
  if (!draft.justification.trim()) {
    errors.justification = t('waiveDialog.justificationRequired');
  }
  if (!draft.expiresAt) {
    errors.expiresAt = t('waiveDialog.expiresRequired');
  } else {
    const expiry = new Date(draft.expiresAt);
    if (Number.isNaN(expiry.getTime())) {
      errors.expiresAt = t('waiveDialog.expiresInvalid');
    } else if (expiry.getTime() <= now.getTime()) {
      errors.expiresAt = t('waiveDialog.expiresPast');
    }
  }
  return errors;
}

/**
 * Asks for a justification and an expiry before waiving an item. The typed
 * values live with the caller, so they survive a reload of the gate.
 */
export function WaiveDialog(props: {
  item: GateItem;
  open: boolean;
  draft: WaiverDraft;
  busy: boolean;
  /** An Alert about the last attempt, shown at the top. */
  message?: ReactNode;
  onDraftChange: (draft: WaiverDraft) => void;
  onCancel: () => void;
  onSubmit: (draft: WaiverDraft) => void;
}) {
  const { t } = useReleaseReadinessTranslation();
  const { item, open, draft, busy, message } = props;
  const [errors, setErrors] = useState<WaiverErrors>({});
  const titleId = `waive-${item.id}-title`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateWaiver(draft, t);
    setErrors(found);
    if (found.justification || found.expiresAt) {
      return;
    }
    props.onSubmit(draft);
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : props.onCancel}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          {t('waiveDialog.title', { title: item.title })}
        </DialogTitle>
        <DialogContent>
          {message}
          <DialogContentText>{t('waiveDialog.description')}</DialogContentText>
          <TextField
            id={`waive-${item.id}-justification`}
            label={t('waiveDialog.justification')}
            // The first field takes focus, not the dialog's container, as the
            // WAI-ARIA dialog pattern asks (the dialog opens on request).
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
            required
            fullWidth
            multiline
            minRows={3}
            margin="normal"
            variant="outlined"
            value={draft.justification}
            onChange={e => {
              props.onDraftChange({ ...draft, justification: e.target.value });
              if (errors.justification) {
                setErrors({ ...errors, justification: undefined });
              }
            }}
            error={!!errors.justification}
            helperText={errors.justification}
            disabled={busy}
          />
          <TextField
            id={`waive-${item.id}-expires`}
            label={t('waiveDialog.expires')}
            type="datetime-local"
            required
            fullWidth
            margin="normal"
            variant="outlined"
            InputLabelProps={{ shrink: true }}
            value={draft.expiresAt}
            onChange={e => {
              props.onDraftChange({ ...draft, expiresAt: e.target.value });
              if (errors.expiresAt) {
                setErrors({ ...errors, expiresAt: undefined });
              }
            }}
            error={!!errors.expiresAt}
            helperText={errors.expiresAt ?? t('waiveDialog.expiresHelp')}
            disabled={busy}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel} disabled={busy}>
            {t('waiveDialog.cancel')}
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            {t('waiveDialog.submit')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
