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
import { NOT_ALLOWED_TO_DECIDE } from '../shared/messages';
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
  const api = useApi(releaseReadinessApiRef);
  const loaded = useAsync(async () => {
    if (givenTemplates) {
      return givenTemplates;
    }
    const all = await api.listTemplates();
    return all.map(t => ({
      name: t.name,
      title: t.title,
      rapid: t.rapid,
      appliesTo: t.appliesTo,
    }));
  }, [api, givenTemplates]);
  const templates = loaded.value ?? givenTemplates ?? [];
  // Which template applies, and why, by -common's rule (when the entity
  // and what each template applies to are known).
  const choice =
    entity && templates.length && templates.every(t => t.appliesTo)
      ? explainTemplates(
          entity,
          templates.map(t => ({ ...t, appliesTo: t.appliesTo ?? [] })),
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

  const chosen = templates.find(t => t.name === template);
  // Governance: a rapid template, or another than the one that applies,
  // needs a reason (TemplateReasonField).
  const applicable = choice ? choice.applies : defaultTemplate;
  const rapid = needsTemplateReason(chosen, applicable);
  const why = choice?.options.find(o => o.name === template)?.why;
  const suggestedTitle = templates.find(
    t => t.name === choice?.suggested,
  )?.title;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (!release.trim()) {
      next.release = 'Name the release, for example 1.5.0.';
    }
    if (rapid && !rapidReason.trim()) {
      next.rapid = chosen?.rapid
        ? 'Say why this release must be expedited.'
        : 'Say why this template instead of the one that applies.';
    }
    if (choice && !template) {
      next.template = `Choose a template: none applies to this entity on its own${
        suggestedTitle ? ` (${suggestedTitle} is the closest)` : ''
      }.`;
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
          Open a gate for the next release
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {NOT_ALLOWED_TO_DECIDE}
        </Typography>
      </Box>
    );
  }

  const disabled = busy;
  return (
    <Box mt={2}>
      <form onSubmit={submit} noValidate aria-labelledby="decision-open-title">
        <Typography variant="h6" component="h3" id="decision-open-title">
          Open a gate for the next release
        </Typography>
        <TextField
          id="decision-open-release"
          label="Release"
          value={release}
          onChange={e => setRelease(e.target.value)}
          required
          error={Boolean(errors.release)}
          helperText={
            errors.release ??
            (rollup?.proposedRelease && typed === undefined
              ? `Proposed from the ${
                  rollup.partKind === 'component' ? 'components' : 'systems'
                }' current gates`
              : 'The version going out, e.g. 1.5.0')
          }
          fullWidth
          margin="normal"
          disabled={disabled}
        />
        {rollup && <ReleaseProposal rollup={rollup} release={release} />}
        <TextField
          id="decision-open-planned"
          label="Planned release time"
          type="datetime-local"
          value={plannedAt}
          onChange={e => setPlannedAt(e.target.value)}
          InputLabelProps={{ shrink: true }}
          helperText="Your local time; release windows are checked against it."
          fullWidth
          margin="normal"
          disabled={disabled}
        />
        {choice?.noneApplies && (
          <Box mt={1}>
            <Alert severity="info" data-testid="no-template-applies">
              {choice.noneApplies}.{' '}
              {suggestedTitle
                ? `Pick ${suggestedTitle} below if it fits what this entity is, or ask its owners to name a template with the annotation release-readiness/template in its catalog file.`
                : 'Ask its owners to name a template with the annotation release-readiness/template in its catalog file.'}
            </Alert>
          </Box>
        )}
        <TextField
          id="decision-open-template"
          label="Template"
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
            errors.template ?? (why ? `This template ${why}.` : undefined)
          }
          fullWidth
          margin="normal"
          disabled={disabled}
        >
          {!choice && !defaultTemplate && (
            <option value="">The template that applies to this entity</option>
          )}
          {choice && !choice.applies && (
            <option value="">Choose a template</option>
          )}
          {templates.map(t => {
            const applies = choice
              ? t.name === choice.applies
              : t.name === defaultTemplate;
            return (
              <option key={t.name} value={t.name}>
                {templateLabel(t)}
                {applies ? ' (applies to this entity)' : ''}
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
            Open gate
          </Button>
        </Box>
      </form>
    </Box>
  );
}
