import { FormEvent, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  EntityRollup,
  GateWithEvaluation,
  ReleaseManifest,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage, isConflict } from '../shared/errors';
import { focusSoon } from '../shared/focus';
import { useReleaseReadinessTranslation } from '../../translation';

/** Ids of the form's controls, for focus. */
export const MANIFEST_BUTTON_ID = 'rollup-manifest-edit';
const fieldId = (index: number) => `rollup-manifest-release-${index}`;

/**
 * The release of each counted component a system gate ships (its release
 * manifest), changed by the gate owners while the gate is in progress. A
 * field left as the system's own release is saved as such; the backend
 * checks every key, audits the change and makes earlier sign-offs stale,
 * which the form says before saving.
 */
export function ManifestForm(props: {
  gate: GateWithEvaluation;
  rollup: EntityRollup;
  onChange(gate: GateWithEvaluation): void;
  onConflict?(): void;
}) {
  const { gate, rollup, onChange } = props;
  const api = useApi(releaseReadinessApiRef);
  const { t } = useReleaseReadinessTranslation();
  const counted = rollup.parts.filter(p => !p.excluded);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (!counted.length) return null;

  const start = () => {
    setValues(
      Object.fromEntries(
        counted.map(p => [
          p.entityRef,
          gate.manifest?.[p.entityRef] ?? gate.release,
        ]),
      ),
    );
    setMissing(undefined);
    setError(undefined);
    setOpen(true);
    focusSoon(fieldId(0));
  };

  const close = () => {
    setOpen(false);
    focusSoon(MANIFEST_BUTTON_ID);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const empty = counted.find(p => !values[p.entityRef]?.trim());
    if (empty) {
      setMissing(empty.entityRef);
      focusSoon(fieldId(counted.indexOf(empty)));
      return;
    }
    const manifest: ReleaseManifest = Object.fromEntries(
      counted.map(p => [p.entityRef, values[p.entityRef].trim()]),
    );
    setBusy(true);
    setError(undefined);
    try {
      onChange(
        await api.setReleaseManifest(gate.id, {
          manifest,
          version: gate.version,
        }),
      );
      close();
    } catch (e) {
      if (isConflict(e)) {
        setError(
          t('manifest.conflict', {
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
      <Box mt={2}>
        <Button
          id={MANIFEST_BUTTON_ID}
          variant="outlined"
          color="primary"
          onClick={start}
        >
          {t('manifest.edit')}
        </Button>
      </Box>
    );
  }
  return (
    <Box mt={2} component="section">
      <form onSubmit={submit} noValidate aria-label={t('manifest.formLabel')}>
        <Typography variant="subtitle2" component="h4">
          {t('manifest.title')}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {t('manifest.explanation')}
        </Typography>
        {counted.map((part, index) => {
          const name = part.title ?? parseEntityRef(part.entityRef).name;
          return (
            <TextField
              key={part.entityRef}
              id={fieldId(index)}
              label={t('manifest.field', { name })}
              value={values[part.entityRef] ?? ''}
              onChange={e => {
                const value = e.target.value;
                setValues(v => ({ ...v, [part.entityRef]: value }));
                setMissing(undefined);
              }}
              required
              error={missing === part.entityRef}
              helperText={
                missing === part.entityRef
                  ? t('manifest.missing', { name })
                  : undefined
              }
              fullWidth
              margin="dense"
              disabled={busy}
            />
          );
        })}
        {error && <Alert severity="error">{error}</Alert>}
        <Box mt={1} display="flex" style={{ gap: 8 }}>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={busy}
          >
            {t('manifest.save')}
          </Button>
          <Button onClick={close} disabled={busy}>
            {t('manifest.keep')}
          </Button>
        </Box>
      </form>
    </Box>
  );
}
