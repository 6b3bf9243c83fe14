/*
 * Which gate templates apply to an entity, and why, in words a person who
 * never read a template file can act on: the open-gate form preselects the
 * one that applies and, when none does, says why and which one to pick. The
 * rule is `selectTemplate`'s; this only explains it.
 */
import { Entity } from '@backstage/catalog-model';
import { GateTemplateSpec, TemplateSelector } from '../types';
import { GATE_TEMPLATE_ANNOTATION, selectTemplate } from './select';

/**
 * One template as the open-gate form offers it.
 *
 * @public
 */
export interface TemplateOption {
  name: string;
  /** The title, without a second "(expedited)" when it already says so. */
  label: string;
  rapid: boolean;
  /** Whether a gate opened without naming a template uses this one. */
  applies: boolean;
  /** Why it applies or not, in a sentence. */
  why: string;
}

/**
 * The templates for an entity: each with whether it applies and why, the
 * one that applies (if any), and when none does, why and which to pick.
 *
 * @public
 */
export interface TemplateChoice {
  options: TemplateOption[];
  /** The template a gate opens with when none is named. */
  applies?: string;
  /** Why no template applies, when none does. */
  noneApplies?: string;
  /** The template to pick when none applies: the closest match. */
  suggested?: string;
}

const lower = (value: string) => value.trim().toLocaleLowerCase('en-US');

/** "components of type service or website tagged pci". */
function selectorInWords(selector: TemplateSelector): string {
  const kind = selector.kind ? `${lower(selector.kind)}s` : 'entities';
  const type = selector.types?.length
    ? ` of type ${selector.types.join(' or ')}`
    : '';
  const tags = selector.tags?.length
    ? ` tagged ${selector.tags.join(' or ')}`
    : '';
  return `${kind}${type}${tags}`;
}

/** "a component of type library" (with its tags, if any). */
function entityInWords(entity: Entity): string {
  const type =
    typeof entity.spec?.type === 'string' ? ` of type ${entity.spec.type}` : '';
  const tags = entity.metadata.tags?.length
    ? ` tagged ${entity.metadata.tags.join(', ')}`
    : '';
  return `a ${lower(entity.kind)}${type}${tags}`;
}

/**
 * The template label: its title, marked expedited once. A title such as
 * "Rapid release (expedited)" already says it.
 *
 * @public
 */
export function templateLabel(template: {
  title: string;
  rapid: boolean;
}): string {
  if (!template.rapid || /expedited/i.test(template.title)) {
    return template.title;
  }
  return `${template.title} (expedited)`;
}

/**
 * Which templates apply to `entity` and why (see the top of this file).
 *
 * @public
 */
export function explainTemplates<
  T extends Pick<GateTemplateSpec, 'name' | 'title' | 'rapid' | 'appliesTo'>,
>(entity: Entity, templates: readonly T[]): TemplateChoice {
  const selection = selectTemplate(entity, templates);
  const chosen = selection.template?.name;
  const name = entity.metadata.title ?? entity.metadata.name;
  const what = entityInWords(entity);
  const options = templates.map(template => {
    let why: string;
    if (template.name === chosen) {
      why =
        selection.via === 'annotation'
          ? `named by the annotation ${GATE_TEMPLATE_ANNOTATION} on ${name}`
          : `applies to ${template.appliesTo
              .map(selectorInWords)
              .join(' and to ')}, and ${name} is ${what}`;
    } else if (template.rapid) {
      why =
        'expedited: never chosen on its own; pick it only for an urgent release, with a reason';
    } else if (!template.appliesTo.length) {
      why = 'applies only when an entity names it or a person picks it';
    } else {
      why = `applies to ${template.appliesTo
        .map(selectorInWords)
        .join(' and to ')}; ${name} is ${what}`;
    }
    return {
      name: template.name,
      label: templateLabel(template),
      rapid: template.rapid,
      applies: template.name === chosen,
      why,
    };
  });
  if (chosen) {
    return { options, applies: chosen };
  }
  // The closest: a non-rapid template for the entity's kind, else any.
  const kind = lower(entity.kind);
  const normal = templates.filter(t => !t.rapid);
  const suggested =
    normal.find(t =>
      t.appliesTo.some(s => s.kind !== undefined && lower(s.kind) === kind),
    ) ?? normal[0];
  const reason =
    selection.problem ??
    `no template applies to ${name}: it is ${what}, and ${
      normal.length
        ? normal
            .map(
              t =>
                `${t.title} applies to ${
                  t.appliesTo.map(selectorInWords).join(' and to ') ||
                  'nothing on its own'
                }`,
            )
            .join('; ')
        : 'there is no template to choose from'
    }`;
  return {
    options,
    noneApplies: reason.charAt(0).toUpperCase() + reason.slice(1),
    ...(suggested ? { suggested: suggested.name } : {}),
  };
}
