import Alert from '@material-ui/lab/Alert';
import TextField from '@material-ui/core/TextField';
import { templateReasonNeeded } from '@release-readiness/plugin-common';

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
  const { chosen, applicable, value, onChange, error, disabled } = props;
  if (!chosen || !needsTemplateReason(chosen, applicable)) {
    return null;
  }
  const why = chosen.rapid
    ? `${chosen.title} is an expedited (rapid) template: it skips part of the usual checks.`
    : `${chosen.title} is not the template that applies to this entity${
        applicable ? ` (${applicable})` : ''
      }.`;
  return (
    <>
      <Alert severity="warning">
        {why} Choosing it needs a reason, which is recorded in the audit trail
        and shown with the gate, and the approval of release management (or the
        approvers the template names): GO is not possible until then.
      </Alert>
      <TextField
        id="decision-open-template-reason"
        label={chosen.rapid ? 'Why expedite?' : 'Why this template?'}
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
