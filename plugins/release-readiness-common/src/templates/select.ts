import { Entity } from '@backstage/catalog-model';
import { GateTemplateSpec, TemplateSelector } from '../types';

/**
 * The annotation by which an entity names its gate template, e.g.
 * `release-readiness/template: rapid-release`.
 *
 * @public
 */
export const GATE_TEMPLATE_ANNOTATION = 'release-readiness/template';

/**
 * The template an entity's gates open with, and why.
 *
 * @public
 */
export interface TemplateSelection<
  T extends Pick<GateTemplateSpec, 'name' | 'rapid' | 'appliesTo'>,
> {
  /** The template, when one applies. */
  template?: T;
  /** How it was found: named by the annotation, or matched by `appliesTo`. */
  via?: 'annotation' | 'appliesTo';
  /** Why no template could be chosen although one was asked for. */
  problem?: string;
}

const lower = (value: string) => value.trim().toLocaleLowerCase('en-US');

/**
 * Whether one selector of a template's `appliesTo` matches an entity: every
 * key given must match. Kind, types and tags compare case-insensitively.
 *
 * @public
 */
export function selectorMatches(
  selector: TemplateSelector,
  entity: Entity,
): boolean {
  if (
    selector.kind !== undefined &&
    lower(selector.kind) !== lower(entity.kind)
  ) {
    return false;
  }
  if (selector.types !== undefined) {
    const type = entity.spec?.type;
    if (
      typeof type !== 'string' ||
      !selector.types.some(t => lower(t) === lower(type))
    ) {
      return false;
    }
  }
  if (selector.tags !== undefined) {
    const tags = (entity.metadata.tags ?? []).map(lower);
    if (!selector.tags.some(t => tags.includes(lower(t)))) {
      return false;
    }
  }
  return true;
}

/**
 * Chooses the gate template of an entity:
 *
 * 1. the template named by the `release-readiness/template` annotation, if
 *    present (a name that matches no template is reported as a problem, and
 *    nothing is chosen);
 * 2. otherwise the first template, in the given order, with a selector in
 *    `appliesTo` that matches the entity. Rapid templates are never chosen this
 *    way, only by annotation or when a person picks one.
 *
 * Returns an empty selection when nothing applies.
 *
 * @public
 */
export function selectTemplate<
  T extends Pick<GateTemplateSpec, 'name' | 'rapid' | 'appliesTo'>,
>(entity: Entity, templates: readonly T[]): TemplateSelection<T> {
  const annotation = entity.metadata.annotations?.[GATE_TEMPLATE_ANNOTATION];
  if (annotation !== undefined) {
    const name = lower(annotation);
    if (!name) {
      return {
        problem: `the annotation ${GATE_TEMPLATE_ANNOTATION} is empty; name a gate template`,
      };
    }
    const named = templates.find(t => t.name === name);
    if (!named) {
      const known = templates.map(t => t.name).join(', ') || 'none';
      return {
        problem: `the annotation ${GATE_TEMPLATE_ANNOTATION} names unknown template "${annotation.trim()}" (known templates: ${known})`,
      };
    }
    return { template: named, via: 'annotation' };
  }
  const matched = templates.find(
    t => !t.rapid && t.appliesTo.some(s => selectorMatches(s, entity)),
  );
  return matched ? { template: matched, via: 'appliesTo' } : {};
}
