import Alert from '@material-ui/lab/Alert';
import TextField from '@material-ui/core/TextField';
import { templateReasonNeeded } from '@release-readiness/plugin-common';
import { useReleaseReadinessTranslation } from '../../translation';

/** Props of {@link TemplateReasonField}. @public */
export interface TemplateReasonFieldProps {
  /** The template chosen in the form, if any. */
  chosen?: { name: string; title: string; rapid: boolean };
  /** The name of the template that applies to the entity, if one does. */
  applicable?: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  disabled?: boolean;
}

/**
 * Whether the form's choice needs a reason: a rapid template, or another
 * than the one that applies to the entity (-common's governance rule).
 *
 * @public
 */
export function needsTemplateReason(
  chosen: TemplateReasonFieldProps['chosen'],
  applicable: string | undefined,
): boolean {
  return templateReasonNeeded(chosen, applicable);
}

/**
 * Asks why, when the template chosen weakens the gate: the reason is kept
 * in the audit trail and the gate waits for the approval of a role the
 * template names (release management by default) before GO is possible.
 *
 * @public
 */
export function TemplateReasonField(props: TemplateReasonFieldProps) {
  const { t } = useReleaseReadinessTranslation();
  const { chosen, applicable, value, onChange, error, disabled } = props;
  if (!chosen || !needsTemplateReason(chosen, applicable)) {
    return null;
  }
  let why: string;
  if (chosen.rapid) {
    why = t('templateReasonField.rapid', { title: chosen.title });
  } else {
    why = applicable
      ? t('templateReasonField.notApplicableNamed', {
          title: chosen.title,
          applicable,
        })
      : t('templateReasonField.notApplicable', { title: chosen.title });
  }
  return (
    <>
      <Alert severity="warning">
        {t('templateReasonField.needsReason', { why })}
      </Alert>
      <TextField
        id="decision-open-template-reason"
        label={
          chosen.rapid
            ? t('templateReasonField.whyExpedite')
            : t('templateReasonField.whyTemplate')
        }
        value={value}
        onChange={e => onChange(e.target.value)}
        required
        error={Boolean(error)}
        helperText={error}
        multiline
        minRows={2}
        fullWidth
        margin="normal"
        variant="outlined"
        disabled={disabled}
      />
    </>
  );
}
