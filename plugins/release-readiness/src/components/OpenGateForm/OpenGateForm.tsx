import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Entity } from '@backstage/catalog-model';
import {
  EntityRollup,
  explainTemplates,
  GateWithEvaluation,
  templateLabel,
  TemplateSelector,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage } from '../shared/errors';
import { toIso } from '../shared/format';
import { useReleaseReadinessTranslation } from '../../translation';
import { ReleaseProposal } from './ReleaseProposal';
import {
  needsTemplateReason,
  TemplateReasonField,
} from './TemplateReasonField';

/** A template to choose from when opening a gate. @public */
export interface DecisionTemplateOption {
  name: string;
  title: string;
  rapid: boolean;
  /** Which entities it applies to; with the entity, tells which applies and why. */
  appliesTo?: TemplateSelector[];
}

/** Props of {@link OpenGateForm}. @public */
export interface OpenGateFormProps {
  entityRef: { kind: string; namespace: string; name: string };
  /** Templates to offer; loaded from the API when absent. */
  templates?: DecisionTemplateOption[];
  /** The template that applies to the entity. */
  defaultTemplate?: string;
  /**
   * The catalog entity: with it (and templates that say what they apply
   * to), the form preselects the template that applies and says why, or
   * why none does and which one to pick.
   */
  entity?: Entity;
  canOpen: boolean;
  /**
   * For a system or domain: its roll-up, from which the release is proposed
   * (the one most parts' current gates are for) and each part's release
   * shown against the one typed.
   */
  rollup?: EntityRollup;
  onChange(gate: GateWithEvaluation): void;
}

/**
 * Opens a gate for the entity's next release: the release name, an optional
 * planned time (in the reader's time zone) and the template, with a reason
 * when the template is an expedited (rapid) one.
 *
 * @public
 */
export function OpenGateForm({
  entityRef,
  templates: givenTemplates,
  defaultTemplate,
  entity,
  canOpen,
  rollup,
  onChange,
}: OpenGateFormProps) {
  const { t } = useReleaseReadinessTranslation();
  const api = useApi(releaseReadinessApiRef);
  const loaded = useAsync(async () => {
    if (givenTemplates) {
      return givenTemplates;
    }
    const all = await api.listTemplates();
    return all.map(tpl => ({
      name: tpl.name,
      title: tpl.title,
      rapid: tpl.rapid,
      appliesTo: tpl.appliesTo,
    }));
  }, [api, givenTemplates]);
  const templates = loaded.value ?? givenTemplates ?? [];
  // Which template applies, and why, by -common's rule (when the entity
  // and what each template applies to are known).
  const choice =
    entity && templates.length && templates.every(tpl => tpl.appliesTo)
      ? explainTemplates(
          entity,
          templates.map(tpl => ({ ...tpl, appliesTo: tpl.appliesTo ?? [] })),
        )
      : undefined;
  const preselected = choice ? choice.applies ?? '' : defaultTemplate ?? '';

  // Undefined until the person types: until then the proposal is shown.
  const [typed, setRelease] = useState<string>();
  const release = typed ?? rollup?.proposedRelease ?? '';
  const [plannedAt, setPlannedAt] = useState('');
  // Undefined until the person picks one: then what applies is shown.
  const [picked, setPicked] = useState<string>();
  const template = picked ?? preselected;
  const [rapidReason, setRapidReason] = useState('');
  const [errors, setErrors] = useState<{
    release?: string;
    rapid?: string;
    template?: string;
  }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const chosen = templates.find(tpl => tpl.name === template);
  // Governance: a rapid template, or another than the one that applies,
  // needs a reason (TemplateReasonField).
  const applicable = choice ? choice.applies : defaultTemplate;
  const rapid = needsTemplateReason(chosen, applicable);
  const why = choice?.options.find(o => o.name === template)?.why;
  const suggestedTitle = templates.find(
    tpl => tpl.name === choice?.suggested,
  )?.title;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (!release.trim()) {
      next.release = t('openGateForm.releaseRequired');
    }
    if (rapid && !rapidReason.trim()) {
      next.rapid = chosen?.rapid
        ? t('openGateForm.rapidReasonRequired')
        : t('openGateForm.otherTemplateReasonRequired');
    }
    if (choice && !template) {
      next.template = suggestedTitle
        ? t('openGateForm.templateRequiredClosest', { closest: suggestedTitle })
        : t('openGateForm.templateRequired');
    }
    setErrors(next);
    if (next.release || next.rapid || next.template) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const planned = toIso(plannedAt);
      const updated = await api.openGate(entityRef, {
        release: release.trim(),
        ...(template ? { template } : {}),
        ...(planned ? { plannedAt: planned } : {}),
        ...(rapid ? { templateReason: rapidReason.trim() } : {}),
      });
      setRelease(undefined);
      setPlannedAt('');
      setRapidReason('');
      setPicked(undefined);
      onChange(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!canOpen) {
    // Read-only: what the next step is and who takes it, not a greyed-out
    // form (its faint helper texts also fail axe-core's contrast check).
    return (
      <Box mt={2}>
        <Typography variant="h6" component="h3" id="decision-open-title">
          {t('openGateForm.title')}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {t('shared.notAllowedToDecide')}
        </Typography>
      </Box>
    );
  }

  const disabled = busy;
  return (
    <Box mt={2}>
      <form onSubmit={submit} noValidate aria-labelledby="decision-open-title">
        <Typography variant="h6" component="h3" id="decision-open-title">
          {t('openGateForm.title')}
        </Typography>
        <TextField
          id="decision-open-release"
          label={t('openGateForm.release')}
          value={release}
          onChange={e => setRelease(e.target.value)}
          required
          error={Boolean(errors.release)}
          helperText={
            errors.release ??
            (rollup?.proposedRelease && typed === undefined
              ? t(
                  rollup.partKind === 'component'
                    ? 'openGateForm.proposedFromComponents'
                    : 'openGateForm.proposedFromSystems',
                )
              : t('openGateForm.releaseHelp'))
          }
          fullWidth
          margin="normal"
          disabled={disabled}
        />
        {rollup && <ReleaseProposal rollup={rollup} release={release} />}
        <TextField
          id="decision-open-planned"
          label={t('openGateForm.plannedAt')}
          type="datetime-local"
          value={plannedAt}
          onChange={e => setPlannedAt(e.target.value)}
          InputLabelProps={{ shrink: true }}
          helperText={t('openGateForm.plannedAtHelp')}
          fullWidth
          margin="normal"
          disabled={disabled}
        />
        {choice?.noneApplies && (
          <Box mt={1}>
            <Alert severity="info" data-testid="no-template-applies">
              {choice.noneApplies}.{' '}
              {suggestedTitle
                ? t('openGateForm.noneAppliesPick', {
                    suggested: suggestedTitle,
                  })
                : t('openGateForm.noneAppliesAsk')}
            </Alert>
          </Box>
        )}
        <TextField
          id="decision-open-template"
          label={t('openGateForm.template')}
          select
          SelectProps={{ native: true }}
          value={template}
          onChange={e => {
            setPicked(e.target.value);
            setErrors(current => ({ ...current, template: undefined }));
          }}
          InputLabelProps={{ shrink: true }}
          error={Boolean(errors.template)}
          helperText={
            errors.template ??
            (why ? t('openGateForm.templateWhy', { why }) : undefined)
          }
          fullWidth
          margin="normal"
          disabled={disabled}
        >
          {!choice && !defaultTemplate && (
            <option value="">{t('openGateForm.templateThatApplies')}</option>
          )}
          {choice && !choice.applies && (
            <option value="">{t('openGateForm.chooseTemplate')}</option>
          )}
          {templates.map(tpl => {
            const applies = choice
              ? tpl.name === choice.applies
              : tpl.name === defaultTemplate;
            return (
              <option key={tpl.name} value={tpl.name}>
                {templateLabel(tpl)}
                {applies ? t('openGateForm.appliesSuffix') : ''}
              </option>
            );
          })}
        </TextField>
        <TemplateReasonField
          {...(chosen ? { chosen } : {})}
          {...(applicable ? { applicable } : {})}
          value={rapidReason}
          onChange={setRapidReason}
          {...(errors.rapid ? { error: errors.rapid } : {})}
          disabled={disabled}
        />
        {error && (
          <Box mt={1}>
            <Alert severity="error">{error}</Alert>
          </Box>
        )}
        <Box mt={1}>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={disabled}
          >
            {t('openGateForm.submit')}
          </Button>
        </Box>
      </form>
    </Box>
  );
}
