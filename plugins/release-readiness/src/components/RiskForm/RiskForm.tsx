import { FormEvent, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import {
  GateWithEvaluation,
  ImpactRow,
  isGateEditable,
  RiskAssessment,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage, isConflict } from '../shared/errors';
import { focusSoon } from '../shared/focus';
import { formatTime } from '../shared/format';
import { PersonName } from '../shared/PersonName';
import {
  communicationPlanChanged,
  emptyImpactRow,
  impactRowErrors,
  initialRiskForm,
  RiskFormState,
  rollbackPlanChanged,
  toRiskUpdate,
} from './riskFormModel';

/** The save button, which focus returns to after a save. */
const SAVE_BUTTON_ID = 'risk-save';

/** Props of {@link RiskForm}. @public */
export interface RiskFormProps {
  gate: GateWithEvaluation;
  canEdit: boolean;
  onChange(gate: GateWithEvaluation): void;
  /** Called when someone else saved first (409): reload the gate. */
  onConflict(): void;
}

const LEVELS: ImpactRow['impact'][] = ['high', 'medium', 'low'];

const CONFLICT_MESSAGE =
  'Someone else saved the risk assessment first. It was reloaded; your changes are still in the form — review and save again.';

function Who({
  label,
  by,
  at,
  none,
}: {
  label: string;
  by?: string;
  at?: string;
  none: string;
}) {
  return (
    <Typography variant="body2" color="textSecondary">
      {by ? (
        <>
          {label} by <PersonName entityRef={by} /> on{' '}
          <time dateTime={at}>{formatTime(at)}</time>
        </>
      ) : (
        none
      )}
    </Typography>
  );
}

function ReadOnlyRisk({ risk }: { risk?: RiskAssessment }) {
  if (!risk) {
    return <Typography variant="body2">No risk assessment yet.</Typography>;
  }
  return (
    <>
      <Typography variant="subtitle2" component="h3">
        Rollback plan
      </Typography>
      <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
        {risk.rollbackPlan || 'None written yet.'}
      </Typography>
      <Who
        label="Rollback verified"
        by={risk.rollbackVerifiedBy}
        at={risk.rollbackVerifiedAt}
        none="The rollback was not verified."
      />
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          Impact matrix
        </Typography>
        {risk.impactMatrix.length === 0 ? (
          <Typography variant="body2">No rows.</Typography>
        ) : (
          <Table size="small" aria-label="Impact matrix">
            <TableHead>
              <TableRow>
                <TableCell>Failure mode</TableCell>
                <TableCell>Impact</TableCell>
                <TableCell>Likelihood</TableCell>
                <TableCell>Mitigation</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {risk.impactMatrix.map((row, i) => (
                <TableRow key={i}>
                  <TableCell>{row.failureMode}</TableCell>
                  <TableCell>{row.impact}</TableCell>
                  <TableCell>{row.likelihood}</TableCell>
                  <TableCell>{row.mitigation}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          Residual risk
        </Typography>
        <Who
          label="Accepted"
          by={risk.residualRisk?.acceptedBy}
          at={risk.residualRisk?.acceptedAt}
          none="Nobody accepted the residual risk."
        />
        {risk.residualRisk?.note && (
          <Typography variant="body2">{risk.residualRisk.note}</Typography>
        )}
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          Communication
        </Typography>
        <Typography variant="body2">
          Audiences: {risk.communication?.audiences.join(', ') || 'none'}
          {risk.communication?.scheduledAt &&
            ` · scheduled ${formatTime(risk.communication.scheduledAt)}`}
        </Typography>
        <Who
          label="Approved"
          by={risk.communication?.approvedBy}
          at={risk.communication?.approvedAt}
          none="The communication plan is not approved."
        />
      </Box>
    </>
  );
}

/**
 * The risk assessment of a gate: rollback plan, impact matrix, residual risk
 * and communication plan.
 *
 * @public
 */
export function RiskForm(props: RiskFormProps) {
  const { gate, canEdit } = props;
  const editableState = isGateEditable(gate.state);
  if (!canEdit || !editableState) {
    return (
      <div id="risk">
        <InfoCard title="Risk assessment">
          <Typography variant="body2" color="textSecondary" paragraph>
            {editableState
              ? 'Only the gate owners can edit the risk assessment.'
              : 'The risk assessment can change only while the gate is in progress or NO-GO.'}
          </Typography>
          <ReadOnlyRisk risk={gate.risk} />
        </InfoCard>
      </div>
    );
  }
  // One editor per gate: what was typed or ticked for one gate never shows,
  // nor is sent, on another (the tab shows the next gate in the same place
  // once one is released or cancelled).
  return <RiskEditor key={gate.id} {...props} />;
}

/** The editable form, for one gate: its state starts from that gate's risk. */
function RiskEditor(props: RiskFormProps) {
  const { gate, onChange, onConflict } = props;
  const api = useApi(releaseReadinessApiRef);
  const risk = gate.risk;
  const [form, setForm] = useState<RiskFormState>(() =>
    initialRiskForm(gate.id, risk),
  );
  const [rowErrors, setRowErrors] = useState<boolean[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState(false);
  const [saved, setSaved] = useState(false);

  const update = (patch: Partial<RiskFormState>) => {
    setSaved(false);
    setForm(f => ({ ...f, ...patch }));
  };
  const updateRow = (index: number, patch: Partial<ImpactRow>) => {
    setSaved(false);
    setForm(f => ({
      ...f,
      rows: f.rows.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    }));
    if (patch.failureMode?.trim()) {
      setRowErrors(errs => errs.map((e, i) => (i === index ? false : e)));
    }
  };
  const addRow = () => {
    // The new row's first field takes focus, so that typing goes into it.
    focusSoon(`risk-row-${form.rows.length}-failure`);
    update({ rows: [...form.rows, emptyImpactRow()] });
  };
  const removeRow = (index: number) => {
    update({ rows: form.rows.filter((_, i) => i !== index) });
    setRowErrors(errs => errs.filter((_, i) => i !== index));
  };

  const planChanged = rollbackPlanChanged(form, risk);
  const communicationChanged = communicationPlanChanged(form, risk);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const errors = impactRowErrors(form);
    setRowErrors(errors);
    if (errors.some(Boolean)) {
      return;
    }
    setBusy(true);
    setError(undefined);
    setConflict(false);
    const request = toRiskUpdate(form, risk);
    try {
      const updated = await api.updateRisk(gate.id, request);
      setForm(f => ({ ...f, verifyRollback: false }));
      setSaved(true);
      onChange(updated);
    } catch (e) {
      if (isConflict(e)) {
        setConflict(true);
        onConflict();
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(false);
      // The button was disabled while saving, which dropped focus.
      focusSoon(SAVE_BUTTON_ID);
    }
  };

  return (
    <div id="risk">
      <InfoCard title="Risk assessment">
        <form onSubmit={submit} noValidate aria-label="Risk assessment">
          <TextField
            id="risk-rollback-plan"
            label="Rollback plan"
            helperText="How to undo this release: steps or a link to the runbook."
            value={form.rollbackPlan}
            onChange={e => update({ rollbackPlan: e.target.value })}
            multiline
            minRows={3}
            fullWidth
            variant="outlined"
            margin="normal"
            disabled={busy}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={form.verifyRollback}
                onChange={e => update({ verifyRollback: e.target.checked })}
                disabled={busy}
              />
            }
            label="I verified the rollback now"
          />
          <Who
            label="Last verified"
            by={risk?.rollbackVerifiedBy}
            at={risk?.rollbackVerifiedAt}
            none="The rollback was not verified yet."
          />
          {planChanged && (
            <Typography variant="body2">
              The plan changed: the earlier verification no longer holds once
              you save, unless you verify it again.
            </Typography>
          )}

          <Box mt={3} component="fieldset" border={0} p={0} m={0}>
            <Typography variant="subtitle1" component="legend">
              Impact matrix
            </Typography>
            {form.rows.length === 0 && (
              <Typography variant="body2" color="textSecondary">
                No rows yet. Add one per way this release could fail.
              </Typography>
            )}
            {form.rows.map((row, index) => (
              <Box
                key={index}
                role="group"
                aria-label={`Impact row ${index + 1}`}
                display="flex"
                flexWrap="wrap"
                alignItems="flex-start"
                style={{ gap: 8 }}
                mt={1}
              >
                <TextField
                  id={`risk-row-${index}-failure`}
                  label="Failure mode"
                  value={row.failureMode}
                  onChange={e =>
                    updateRow(index, { failureMode: e.target.value })
                  }
                  required
                  error={Boolean(rowErrors[index])}
                  helperText={
                    rowErrors[index] ? 'Describe the failure mode' : undefined
                  }
                  size="small"
                  variant="outlined"
                  style={{ flex: '2 1 200px' }}
                  disabled={busy}
                />
                {(['impact', 'likelihood'] as const).map(field => (
                  <TextField
                    key={field}
                    id={`risk-row-${index}-${field}`}
                    label={field === 'impact' ? 'Impact' : 'Likelihood'}
                    select
                    SelectProps={{ native: true }}
                    value={row[field]}
                    onChange={e =>
                      updateRow(index, {
                        [field]: e.target.value as ImpactRow['impact'],
                      })
                    }
                    size="small"
                    variant="outlined"
                    disabled={busy}
                  >
                    {LEVELS.map(level => (
                      <option key={level} value={level}>
                        {level}
                      </option>
                    ))}
                  </TextField>
                ))}
                <TextField
                  id={`risk-row-${index}-mitigation`}
                  label="Mitigation"
                  value={row.mitigation}
                  onChange={e =>
                    updateRow(index, { mitigation: e.target.value })
                  }
                  size="small"
                  variant="outlined"
                  style={{ flex: '2 1 200px' }}
                  disabled={busy}
                />
                <IconButton
                  aria-label={`Remove impact row ${index + 1}`}
                  onClick={() => removeRow(index)}
                  disabled={busy}
                >
                  <DeleteIcon />
                </IconButton>
              </Box>
            ))}
            <Box mt={1}>
              <Button variant="outlined" onClick={addRow} disabled={busy}>
                Add row
              </Button>
            </Box>
          </Box>

          <Box mt={3}>
            <Typography variant="subtitle1" component="h3">
              Residual risk
            </Typography>
            <FormControlLabel
              control={
                <Checkbox
                  checked={form.acceptResidualRisk}
                  onChange={e =>
                    update({ acceptResidualRisk: e.target.checked })
                  }
                  disabled={busy}
                />
              }
              label="I accept the residual risk"
            />
            <TextField
              id="risk-residual-note"
              label="Note on the residual risk"
              value={form.residualRiskNote}
              onChange={e => update({ residualRiskNote: e.target.value })}
              fullWidth
              size="small"
              variant="outlined"
              disabled={busy}
            />
            <Who
              label="Accepted"
              by={risk?.residualRisk?.acceptedBy}
              at={risk?.residualRisk?.acceptedAt}
              none="Nobody accepted the residual risk yet."
            />
          </Box>

          <Box mt={3}>
            <Typography variant="subtitle1" component="h3">
              Communication plan
            </Typography>
            <TextField
              id="risk-audiences"
              label="Audiences"
              helperText="Comma separated, e.g. support, sales"
              value={form.audiences}
              onChange={e => update({ audiences: e.target.value })}
              fullWidth
              margin="normal"
              disabled={busy}
            />
            <TextField
              id="risk-scheduled"
              label="Scheduled for"
              type="datetime-local"
              value={form.scheduledAt}
              onChange={e => update({ scheduledAt: e.target.value })}
              InputLabelProps={{ shrink: true }}
              helperText="Your local time."
              margin="normal"
              disabled={busy}
            />
            <div>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={form.approvePlan}
                    onChange={e => update({ approvePlan: e.target.checked })}
                    disabled={busy}
                  />
                }
                label="I approve the communication plan"
              />
            </div>
            <Who
              label="Approved"
              by={risk?.communication?.approvedBy}
              at={risk?.communication?.approvedAt}
              none="The communication plan is not approved yet."
            />
            {communicationChanged && (
              <Typography variant="body2">
                The plan changed: an approval holds only for the plan that was
                approved. Saving with the box ticked approves it again as you.
              </Typography>
            )}
          </Box>

          {conflict && (
            <Box mt={2}>
              <Alert severity="warning">{CONFLICT_MESSAGE}</Alert>
            </Box>
          )}
          {error && (
            <Box mt={2}>
              <Alert severity="error">{error}</Alert>
            </Box>
          )}
          {saved && !busy && (
            <Box mt={2}>
              <Alert severity="success">Risk assessment saved.</Alert>
            </Box>
          )}
          <Box mt={2}>
            <Button
              id={SAVE_BUTTON_ID}
              type="submit"
              variant="contained"
              color="primary"
              disabled={busy}
            >
              Save risk assessment
            </Button>
          </Box>
        </form>
      </InfoCard>
    </div>
  );
}
