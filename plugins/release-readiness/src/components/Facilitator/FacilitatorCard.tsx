import { FormEvent, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  FacilitatorRequest,
  GateWithEvaluation,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage, isConflict } from '../shared/errors';
import { PersonName } from '../shared/PersonName';
import { useReleaseReadinessTranslation } from '../../translation';

const FIELD_ID = 'facilitator-field';

/**
 * Who runs the gate's release meeting, proposed by the rotation among the
 * gate owners when the gate opened. While the gate is in progress a gate
 * owner may pass the turn on (the facilitator is away: the backend proposes
 * the next in turn) or name another gate owner; both are audited.
 */
export function FacilitatorCard(props: {
  gate: GateWithEvaluation;
  canEdit: boolean;
  onChange(gate: GateWithEvaluation): void;
  onConflict?(): void;
}) {
  const { gate, onChange } = props;
  const api = useApi(releaseReadinessApiRef);
  const { t } = useReleaseReadinessTranslation();
  const [name, setName] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const editable = props.canEdit && gate.state === 'in-progress';

  const change = async (request: FacilitatorRequest) => {
    setBusy(true);
    setError(undefined);
    try {
      onChange(
        await api.setFacilitator(gate.id, {
          ...request,
          version: gate.version,
        }),
      );
      setName('');
    } catch (e) {
      if (isConflict(e)) {
        setError(
          t('facilitator.conflict', {
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setMissing(true);
      document.getElementById(FIELD_ID)?.focus();
      return;
    }
    change({ facilitator: name.trim() });
  };

  return (
    <InfoCard title={t('facilitator.title')}>
      <Typography variant="body1" data-testid="facilitator">
        {gate.facilitator
          ? t('facilitator.runs', {
              name: <PersonName entityRef={gate.facilitator} />,
            })
          : t('facilitator.none')}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {t('facilitator.rotation')}
      </Typography>
      {error && (
        <Box mt={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      {editable && (
        <Box mt={1}>
          {gate.facilitator && (
            <Button
              variant="outlined"
              color="primary"
              disabled={busy}
              aria-label={t('facilitator.skipAria', {
                name: gate.facilitator.replace(/^user:default\//, ''),
              })}
              onClick={() => change({ skip: true })}
            >
              {t('facilitator.skip')}
            </Button>
          )}
          <form
            onSubmit={submit}
            noValidate
            aria-label={t('facilitator.title')}
          >
            <TextField
              id={FIELD_ID}
              label={t('facilitator.field')}
              value={name}
              onChange={e => {
                setName(e.target.value);
                setMissing(false);
              }}
              error={missing}
              {...(missing ? { helperText: t('facilitator.missing') } : {})}
              fullWidth
              variant="outlined"
              margin="dense"
              disabled={busy}
            />
            <Button type="submit" color="primary" disabled={busy}>
              {t('facilitator.save')}
            </Button>
          </form>
        </Box>
      )}
    </InfoCard>
  );
}
