import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { errorMessage } from '../shared/errors';
import { useReleaseReadinessTranslation } from '../../translation';

/** Props of {@link ReasonForm}. */
export interface ReasonFormProps {
  /** Unique among the forms on the page: the field's id. */
  id: string;
  /** The button that opens the form, and its accessible name. */
  openLabel: string;
  openAriaLabel: string;
  /** The form's accessible name. */
  formName: string;
  /** The reason field's label. */
  fieldLabel: string;
  submitLabel: string;
  /** Shown when the reason is left empty. */
  missingText: string;
  /** Shown under the field otherwise. */
  helperText?: string;
  color?: 'primary' | 'secondary';
  /** Does the change; a rejection is shown in the form. */
  onSubmit(reason: string): Promise<void>;
}

/**
 * A button that opens a one-field form asking why: every change to a window
 * or an exception is recorded with its reason, so an empty one is refused
 * here before it is sent (and by the backend again).
 */
export function ReasonForm(props: ReasonFormProps) {
  const { t } = useReleaseReadinessTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (!open) {
    return (
      <Button
        variant="outlined"
        color={props.color ?? 'default'}
        onClick={() => setOpen(true)}
        aria-label={props.openAriaLabel}
      >
        {props.openLabel}
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
      await props.onSubmit(text);
      setOpen(false);
      setReason('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label={props.formName}>
      <TextField
        id={props.id}
        label={props.fieldLabel}
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
            ? props.missingText
            : props.helperText ?? t('reasonForm.helper')
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
          color={props.color ?? 'primary'}
          disabled={busy}
        >
          {props.submitLabel}
        </Button>
        <Button onClick={() => setOpen(false)} disabled={busy}>
          {t('reasonForm.back')}
        </Button>
      </Box>
    </form>
  );
}
