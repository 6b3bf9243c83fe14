import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import {
  GateTemplate,
  selectTemplate,
  toReadinessEntityRef,
} from '@release-readiness/plugin-common';
import { EntityInfo } from '../database';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * What the plugin keeps of a catalog entity in its index.
 *
 * @public
 */
export function toEntityInfo(
  entity: Entity,
  templates: GateTemplate[],
): EntityInfo {
  const { template } = selectTemplate(entity, templates);
  const relationTarget = (type: string) =>
    entity.relations?.find(r => r.type === type)?.targetRef;
  const owner = relationTarget(RELATION_OWNED_BY);
  const system =
    typeof entity.spec?.system === 'string'
      ? relationTarget(RELATION_PART_OF)
      : undefined;
  return {
    entityRef: toReadinessEntityRef({
      kind: entity.kind,
      namespace: entity.metadata.namespace,
      name: entity.metadata.name,
    }),
    kind: lower(entity.kind),
    title: entity.metadata.title ?? entity.metadata.name,
    ...(typeof entity.spec?.type === 'string'
      ? { type: entity.spec.type }
      : {}),
    ...(typeof entity.spec?.lifecycle === 'string'
      ? { lifecycle: entity.spec.lifecycle }
      : {}),
    ...(owner ? { ownerRef: lower(owner) } : {}),
    ...(system ? { systemRef: lower(system) } : {}),
    tags: entity.metadata.tags ?? [],
    ...(template ? { templateName: template.name, tier: template.tier } : {}),
  };
}
