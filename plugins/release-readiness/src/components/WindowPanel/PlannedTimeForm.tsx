import { FormEvent, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { GateWithEvaluation } from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage, isConflict } from '../shared/errors';
import { focusSoon } from '../shared/focus';
import { toIso, toLocalInput } from '../shared/format';
import { useReleaseReadinessTranslation } from '../../translation';

/** Ids of the form's controls, for focus. */
export const PLANNED_TIME_BUTTON_ID = 'window-planned-change';
const FIELD_ID = 'window-planned-input';

/**
 * Sets or moves the planned release time of a gate in progress (gate
 * owners): a button that opens a date-time field in the reader's time zone.
 * The backend checks again, audits the change and answers the gate
 * re-evaluated against the release windows.
 */
export function PlannedTimeForm(props: {
  gate: GateWithEvaluation;
  /** A time to propose (the next allowed slot), as an ISO instant. */
  proposal?: string;
  onChange(gate: GateWithEvaluation): void;
  onConflict?(): void;
}) {
  const { gate, onChange } = props;
  const { t } = useReleaseReadinessTranslation();
  const api = useApi(releaseReadinessApiRef);
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const label = gate.plannedAt ? t('plannedTime.change') : t('plannedTime.set');

  const start = (initial?: string) => {
    // The field holds whole minutes: a proposal is rounded up, never down
    // into the window it avoids.
    const proposed = initial
      ? new Date(Math.ceil(Date.parse(initial) / 60_000) * 60_000).toISOString()
      : gate.plannedAt;
    setValue(toLocalInput(proposed));
    setMissing(undefined);
    setError(undefined);
    setOpen(true);
    focusSoon(FIELD_ID);
  };

  const close = () => {
    setOpen(false);
    focusSoon(PLANNED_TIME_BUTTON_ID);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const plannedAt = toIso(value);
    if (!plannedAt) {
      setMissing(t('plannedTime.missing'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.setPlannedTime(gate.id, {
        plannedAt,
        version: gate.version,
      });
      onChange(updated);
      close();
    } catch (e) {
      if (isConflict(e)) {
        setError(
          t('plannedTime.conflict', {
            message: errorMessage(e).replace(/\.$/, ''),
          }),
        );
        props.onConflict?.();
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <Button
          id={PLANNED_TIME_BUTTON_ID}
          variant="outlined"
          color="primary"
          onClick={() => start()}
        >
          {label}
        </Button>
        {props.proposal && props.proposal !== gate.plannedAt && (
          <Button variant="outlined" onClick={() => start(props.proposal)}>
            {t('plannedTime.planNext')}
          </Button>
        )}
      </Box>
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-label={t('plannedTime.form')}>
      <TextField
        id={FIELD_ID}
        label={t('plannedTime.field')}
        type="datetime-local"
        value={value}
        onChange={e => {
          setValue(e.target.value);
          setMissing(undefined);
        }}
        InputLabelProps={{ shrink: true }}
        required
        error={Boolean(missing)}
        helperText={missing ?? t('plannedTime.helper')}
        fullWidth
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
          {t('plannedTime.save')}
        </Button>
        <Button onClick={close} disabled={busy}>
          {t('plannedTime.keep')}
        </Button>
      </Box>
    </form>
  );
}
