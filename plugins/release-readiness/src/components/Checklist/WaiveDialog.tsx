import { FormEvent, ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { GateItem } from '@release-readiness/plugin-common';

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
  now: Date = new Date(),
): WaiverErrors {
  const errors: WaiverErrors = {};
  if (!draft.justification.trim()) {
    errors.justification = 'Give a justification for the waiver.';
  }
  if (!draft.expiresAt) {
    errors.expiresAt = 'Choose when the waiver expires.';
  } else {
    const expiry = new Date(draft.expiresAt);
    if (Number.isNaN(expiry.getTime())) {
      errors.expiresAt = 'Enter a valid date and time.';
    } else if (expiry.getTime() <= now.getTime()) {
      errors.expiresAt = 'The expiry must be in the future.';
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
  const { item, open, draft, busy, message } = props;
  const [errors, setErrors] = useState<WaiverErrors>({});
  const titleId = `waive-${item.id}-title`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateWaiver(draft);
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
        <DialogTitle id={titleId}>Waive "{item.title}"</DialogTitle>
        <DialogContent>
          {message}
          <DialogContentText>
            A waived item counts as done until the waiver expires. Say why it is
            safe to release without it.
          </DialogContentText>
          <TextField
            id={`waive-${item.id}-justification`}
            label="Justification"
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
            label="Expires"
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
            helperText={
              errors.expiresAt ?? 'In your time zone; must be in the future.'
            }
            disabled={busy}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel} disabled={busy}>
            Keep item as it is
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            Waive item
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
