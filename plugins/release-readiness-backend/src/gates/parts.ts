/*
 * The parts of a system (or domain) as its roll-up counts them. The catalog
 * says which parts there are (`hasPart` relations) and what each is; the
 * rules in force (the app's `releaseReadiness.rollup`, with each list the
 * gate's template gives in its `spec.rollup` in its place) say which count.
 * The catalog is read once per change, before its transaction opens; the
 * rules are applied wherever the template is known, so the verdict, the
 * roll-up card and the portfolio's tier view count the same parts.
 */
import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, RELATION_HAS_PART } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_ROLLUP_EXCLUSION_RULES,
  GateTemplateSpec,
  ROLLUP_EXCLUDE_ANNOTATION,
  rollupExcludedRefs,
  rollupExclusion,
  RollupExclusionRules,
  rollupPartKinds,
  rollupRulesFor,
} from '@release-readiness/plugin-common';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** What the roll-up knows of one part of a system or domain, from the catalog. */
export interface RollupPartInfo {
  entityRef: string;
  /** Absent when the catalog no longer has the part. */
  title?: string;
  type?: string;
  lifecycle?: string;
  /** Why the part does not count, when it does not. */
  excluded?: string;
}

/** A part as the catalog lists it, before any rule is applied. */
export interface CatalogPart {
  entityRef: string;
  /** Lower-case kind, from the ref. */
  kind: string;
  title?: string;
  type?: string;
  lifecycle?: string;
  tags: string[];
  /** Named in the whole's `release-readiness/rollup-exclude` annotation. */
  named: boolean;
}

/** The parts of a whole, of every kind, from its `hasPart` relations. */
export async function readCatalogParts(
  deps: { catalog: CatalogService; auth: AuthService },
  entityRef: string,
  whole?: Entity,
): Promise<CatalogPart[]> {
  const credentials = await deps.auth.getOwnServiceCredentials();
  const entity =
    whole ?? (await deps.catalog.getEntityByRef(entityRef, { credentials }));
  const refs = [
    ...new Set(
      (entity?.relations ?? [])
        .filter(r => r.type === RELATION_HAS_PART)
        .map(r => lower(r.targetRef)),
    ),
  ].sort();
  if (!refs.length) return [];
  const { items } = await deps.catalog.getEntitiesByRefs(
    {
      entityRefs: refs,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.tags',
        'spec.type',
        'spec.lifecycle',
      ],
    },
    { credentials },
  );
  const named = rollupExcludedRefs(
    entity?.metadata.annotations?.[ROLLUP_EXCLUDE_ANNOTATION],
    {
      kind: entityRef.split(':')[0],
      namespace: entityRef.split(':')[1].split('/')[0],
    },
  );
  return refs.map((ref, i) => {
    const part = items[i];
    const spec = (part?.spec ?? {}) as { type?: unknown; lifecycle?: unknown };
    return {
      entityRef: ref,
      kind: ref.split(':')[0],
      ...(part ? { title: part.metadata.title ?? part.metadata.name } : {}),
      ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
      ...(typeof spec.lifecycle === 'string'
        ? { lifecycle: spec.lifecycle }
        : {}),
      tags: (part?.metadata.tags ?? []).filter(
        (t): t is string => typeof t === 'string',
      ),
      named: named.has(ref),
    };
  });
}

/** The rules in force for gates of a template. */
export function rulesFor(
  appRules: RollupExclusionRules | undefined,
  template?: Pick<GateTemplateSpec, 'rollup'>,
): RollupExclusionRules {
  return rollupRulesFor(
    appRules ?? DEFAULT_ROLLUP_EXCLUSION_RULES,
    template?.rollup,
  );
}

/**
 * The parts of the kinds the rules count, each with why it does not count
 * when it does not.
 */
export function applyRollupRules(
  parts: CatalogPart[],
  wholeRef: string,
  rules: RollupExclusionRules,
): RollupPartInfo[] {
  const kinds = rollupPartKinds(wholeRef.split(':')[0], rules);
  return parts
    .filter(part => kinds.includes(part.kind))
    .map(part => {
      const excluded = rollupExclusion(
        {
          entityRef: part.entityRef,
          ...(part.type ? { type: part.type } : {}),
          ...(part.lifecycle ? { lifecycle: part.lifecycle } : {}),
          tags: part.tags,
        },
        part.named ? new Set([part.entityRef]) : new Set<string>(),
        rules,
      );
      return {
        entityRef: part.entityRef,
        ...(excluded ? { excluded } : {}),
        ...(part.title ? { title: part.title } : {}),
        ...(part.type ? { type: part.type } : {}),
        ...(part.lifecycle ? { lifecycle: part.lifecycle } : {}),
      };
    });
}
