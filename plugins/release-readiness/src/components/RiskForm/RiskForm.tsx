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
import { useReleaseReadinessTranslation } from '../../translation';

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
  const { t } = useReleaseReadinessTranslation();
  return (
    <Typography variant="body2" color="textSecondary">
      {by
        ? t('riskForm.who', {
            label,
            by: <PersonName entityRef={by} />,
            at: <time dateTime={at}>{formatTime(at)}</time>,
          })
        : none}
    </Typography>
  );
}

function ReadOnlyRisk({ risk }: { risk?: RiskAssessment }) {
  const { t } = useReleaseReadinessTranslation();
  if (!risk) {
    return <Typography variant="body2">{t('riskForm.noRisk')}</Typography>;
  }
  return (
    <>
      <Typography variant="subtitle2" component="h3">
        {t('riskForm.rollbackPlan')}
      </Typography>
      <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
        {risk.rollbackPlan || t('riskForm.noPlan')}
      </Typography>
      <Who
        label={t('riskForm.rollbackVerified')}
        by={risk.rollbackVerifiedBy}
        at={risk.rollbackVerifiedAt}
        none={t('riskForm.rollbackNotVerified')}
      />
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          {t('riskForm.impactMatrix')}
        </Typography>
        {risk.impactMatrix.length === 0 ? (
          <Typography variant="body2">{t('riskForm.noRows')}</Typography>
        ) : (
          <Table size="small" aria-label={t('riskForm.impactMatrix')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('riskForm.failureMode')}</TableCell>
                <TableCell>{t('riskForm.impact')}</TableCell>
                <TableCell>{t('riskForm.likelihood')}</TableCell>
                <TableCell>{t('riskForm.mitigation')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {risk.impactMatrix.map((row, i) => (
                <TableRow key={i}>
                  <TableCell>{row.failureMode}</TableCell>
                  <TableCell>{t(`riskForm.levels.${row.impact}`)}</TableCell>
                  <TableCell>
                    {t(`riskForm.levels.${row.likelihood}`)}
                  </TableCell>
                  <TableCell>{row.mitigation}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          {t('riskForm.residualRisk')}
        </Typography>
        <Who
          label={t('riskForm.accepted')}
          by={risk.residualRisk?.acceptedBy}
          at={risk.residualRisk?.acceptedAt}
          none={t('riskForm.nobodyAccepted')}
        />
        {risk.residualRisk?.note && (
          <Typography variant="body2">{risk.residualRisk.note}</Typography>
        )}
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          {t('riskForm.communication')}
        </Typography>
        <Typography variant="body2">
          {t('riskForm.audiencesShown', {
            audiences:
              risk.communication?.audiences.join(', ') ||
              t('riskForm.noAudiences'),
          })}
          {risk.communication?.scheduledAt &&
            t('riskForm.scheduledShown', {
              at: formatTime(risk.communication.scheduledAt),
            })}
        </Typography>
        <Who
          label={t('riskForm.approved')}
          by={risk.communication?.approvedBy}
          at={risk.communication?.approvedAt}
          none={t('riskForm.notApproved')}
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
  const { t } = useReleaseReadinessTranslation();
  const { gate, canEdit } = props;
  const editableState = isGateEditable(gate.state);
  if (!canEdit || !editableState) {
    return (
      <div id="risk">
        <InfoCard title={t('riskForm.title')}>
          <Typography variant="body2" color="textSecondary" paragraph>
            {editableState
              ? t('riskForm.ownersOnly')
              : t('riskForm.notEditable')}
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
  const { t } = useReleaseReadinessTranslation();
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
      <InfoCard title={t('riskForm.title')}>
        <form onSubmit={submit} noValidate aria-label={t('riskForm.title')}>
          <TextField
            id="risk-rollback-plan"
            label={t('riskForm.rollbackPlan')}
            helperText={t('riskForm.rollbackPlanHelp')}
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
            label={t('riskForm.verifyRollback')}
          />
          <Who
            label={t('riskForm.lastVerified')}
            by={risk?.rollbackVerifiedBy}
            at={risk?.rollbackVerifiedAt}
            none={t('riskForm.rollbackNotVerifiedYet')}
          />
          {planChanged && (
            <Typography variant="body2">
              {t('riskForm.rollbackPlanChanged')}
            </Typography>
          )}

          <Box mt={3} component="fieldset" border={0} p={0} m={0}>
            <Typography variant="subtitle1" component="legend">
              {t('riskForm.impactMatrix')}
            </Typography>
            {form.rows.length === 0 && (
              <Typography variant="body2" color="textSecondary">
                {t('riskForm.noRowsYet')}
              </Typography>
            )}
            {form.rows.map((row, index) => (
              <Box
                key={index}
                role="group"
                aria-label={t('riskForm.row', { number: String(index + 1) })}
                display="flex"
                flexWrap="wrap"
                alignItems="flex-start"
                style={{ gap: 8 }}
                mt={1}
              >
                <TextField
                  id={`risk-row-${index}-failure`}
                  label={t('riskForm.failureMode')}
                  value={row.failureMode}
                  onChange={e =>
                    updateRow(index, { failureMode: e.target.value })
                  }
                  required
                  error={Boolean(rowErrors[index])}
                  helperText={
                    rowErrors[index]
                      ? t('riskForm.failureModeRequired')
                      : undefined
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
                    label={t(`riskForm.${field}`)}
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
                        {t(`riskForm.levels.${level}`)}
                      </option>
                    ))}
                  </TextField>
                ))}
                <TextField
                  id={`risk-row-${index}-mitigation`}
                  label={t('riskForm.mitigation')}
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
                  aria-label={t('riskForm.removeRow', {
                    number: String(index + 1),
                  })}
                  onClick={() => removeRow(index)}
                  disabled={busy}
                >
                  <DeleteIcon />
                </IconButton>
              </Box>
            ))}
            <Box mt={1}>
              <Button variant="outlined" onClick={addRow} disabled={busy}>
                {t('riskForm.addRow')}
              </Button>
            </Box>
          </Box>

          <Box mt={3}>
            <Typography variant="subtitle1" component="h3">
              {t('riskForm.residualRisk')}
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
              label={t('riskForm.acceptResidualRisk')}
            />
            <TextField
              id="risk-residual-note"
              label={t('riskForm.residualRiskNote')}
              value={form.residualRiskNote}
              onChange={e => update({ residualRiskNote: e.target.value })}
              fullWidth
              size="small"
              variant="outlined"
              disabled={busy}
            />
            <Who
              label={t('riskForm.accepted')}
              by={risk?.residualRisk?.acceptedBy}
              at={risk?.residualRisk?.acceptedAt}
              none={t('riskForm.nobodyAcceptedYet')}
            />
          </Box>

          <Box mt={3}>
            <Typography variant="subtitle1" component="h3">
              {t('riskForm.communicationPlan')}
            </Typography>
            <TextField
              id="risk-audiences"
              label={t('riskForm.audiences')}
              helperText={t('riskForm.audiencesHelp')}
              value={form.audiences}
              onChange={e => update({ audiences: e.target.value })}
              fullWidth
              margin="normal"
              disabled={busy}
            />
            <TextField
              id="risk-scheduled"
              label={t('riskForm.scheduledFor')}
              type="datetime-local"
              value={form.scheduledAt}
              onChange={e => update({ scheduledAt: e.target.value })}
              InputLabelProps={{ shrink: true }}
              helperText={t('riskForm.localTime')}
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
                label={t('riskForm.approvePlan')}
              />
            </div>
            <Who
              label={t('riskForm.approved')}
              by={risk?.communication?.approvedBy}
              at={risk?.communication?.approvedAt}
              none={t('riskForm.notApprovedYet')}
            />
            {communicationChanged && (
              <Typography variant="body2">
                {t('riskForm.communicationPlanChanged')}
              </Typography>
            )}
          </Box>

          {conflict && (
            <Box mt={2}>
              <Alert severity="warning">{t('riskForm.conflict')}</Alert>
            </Box>
          )}
          {error && (
            <Box mt={2}>
              <Alert severity="error">{error}</Alert>
            </Box>
          )}
          {saved && !busy && (
            <Box mt={2}>
              <Alert severity="success">{t('riskForm.saved')}</Alert>
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
              {t('riskForm.save')}
            </Button>
          </Box>
        </form>
      </InfoCard>
    </div>
  );
}
