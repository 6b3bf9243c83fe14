import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, RELATION_HAS_PART } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  evaluateGate,
  Evidence,
  Gate,
  GateEvaluation,
  GateResource,
  GateTemplateSpec,
  isEligibleVoter,
  ReleaseWindow,
  ROLLUP_EXCLUDE_ANNOTATION,
  rollupExcludedRefs,
  rollupExclusion,
  RollupExclusionRules,
  windowApplies,
  WindowException,
} from '@release-readiness/plugin-common';
import { createHash } from 'node:crypto';
import { EntityInfo, readAll, ReadinessStores } from '../database';
import { gateOwnersOf, KnownEntity } from './GateAccess';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Whether a window is retired: windows that are kept for the decisions that
 * referred to them, but apply no more.
 */
export function isRetired(window: ReleaseWindow): boolean {
  const w = window as ReleaseWindow & {
    retired?: unknown;
    retiredAt?: unknown;
  };
  return Boolean(w.retired || w.retiredAt);
}

/**
 * An entity as window scopes see it: its ref, and from its index row its
 * system and tags (none when it is not indexed).
 */
export function windowTarget(
  entityRef: string,
  entity: Pick<EntityInfo, 'systemRef' | 'tags'> | undefined,
): { entityRef: string; systemRef?: string; tags: string[] } {
  return {
    entityRef,
    ...(entity?.systemRef ? { systemRef: entity.systemRef } : {}),
    tags: entity?.tags ?? [],
  };
}

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

/** A gate with its template and its evaluation, taken together. */
export interface EvaluatedGate {
  gate: Gate;
  template: GateTemplateSpec | undefined;
  evaluation: GateEvaluation;
}

/**
 * The evaluation of a gate from what is stored: its template, checklist,
 * votes and risk, the evidence for its release, the release windows that
 * apply to its entity and, for a system gate, its components' gates. The
 * rules themselves are `evaluateGate` in -common; this gathers their input,
 * through the stores it is given (those of a transaction, inside one).
 */
export class GateEvaluator {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      stores: ReadinessStores;
      configWindows: ReleaseWindow[];
      /** What roll-ups leave out; the defaults when not given. */
      rollupRules?: RollupExclusionRules;
    },
  ) {}

  /** Windows defined in app-config. */
  get configWindows(): ReleaseWindow[] {
    return this.deps.configWindows;
  }

  /** Every release window: from app-config, then those created through the API. */
  async allWindows(
    stores: ReadinessStores = this.deps.stores,
  ): Promise<ReleaseWindow[]> {
    return [
      ...this.deps.configWindows,
      ...(await stores.windows.listWindows()),
    ];
  }

  /**
   * The windows that apply to an entity: those whose scope covers it, by
   * `windowApplies` on the entity's index row (its system and tags), retired
   * windows left out. The
   * evaluation (condition 7), the tab's next freeze and train
   * (`GET /windows?entityRef=`) and the calendar all take this function.
   */
  async windowsApplyingTo(
    entityRef: string,
    known?: { entity: EntityInfo | undefined },
    stores: ReadinessStores = this.deps.stores,
  ): Promise<ReleaseWindow[]> {
    const [entity, windows] = await readAll<
      [EntityInfo | undefined, ReleaseWindow[]]
    >(stores, [
      async () =>
        known ? known.entity : stores.entities.getEntity({ entityRef }),
      () => this.allWindows(stores),
    ]);
    return windows.filter(w =>
      windowApplies(w, windowTarget(entityRef, entity)),
    );
  }

  /** The windows that apply to a gate's entity, and the gate's exceptions. */
  async windowsFor(
    gate: Gate,
    known?: { entity: EntityInfo | undefined },
    stores: ReadinessStores = this.deps.stores,
  ) {
    const [windows, exceptions] = await readAll<
      [ReleaseWindow[], WindowException[]]
    >(stores, [
      () => this.windowsApplyingTo(gate.entityRef, known, stores),
      () => stores.gates.listWindowExceptions({ gateId: gate.id }),
    ]);
    return { windows, exceptions };
  }

  /**
   * The parts of a system (its components) or of a domain (its systems),
   * from the catalog's `hasPart` relations, with what the roll-up needs to
   * know of each: two catalog reads as the plugin itself (one when the
   * whole is given).
   */
  async partsOf(entityRef: string, whole?: Entity): Promise<RollupPartInfo[]> {
    return (
      await this.partsOfMany([{ entityRef, ...(whole ? { whole } : {}) }])
    )[0];
  }

  /**
   * {@link GateEvaluator.partsOf} for many wholes at once, in the same two
   * catalog reads whatever their number (the tier view asks for every
   * system): the wholes not given, then every part of them. One answer per
   * whole, in the order asked.
   */
  async partsOfMany(
    wholes: { entityRef: string; whole?: Entity }[],
  ): Promise<RollupPartInfo[][]> {
    if (!wholes.length) return [];
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const missing = wholes.filter(w => !w.whole).map(w => w.entityRef);
    const fetched = missing.length
      ? (
          await this.deps.catalog.getEntitiesByRefs(
            {
              entityRefs: missing,
              fields: ['kind', 'metadata', 'relations'],
            },
            { credentials },
          )
        ).items
      : [];
    const fetchedByRef = new Map(missing.map((ref, i) => [ref, fetched[i]]));
    const partRefsOf = wholes.map(({ entityRef, whole }) => {
      const entity = whole ?? fetchedByRef.get(entityRef);
      const prefix = entityRef.startsWith('domain:') ? 'system:' : 'component:';
      const refs = [
        ...new Set(
          (entity?.relations ?? [])
            .filter(r => r.type === RELATION_HAS_PART)
            .map(r => lower(r.targetRef))
            .filter(ref => ref.startsWith(prefix)),
        ),
      ].sort();
      return { entityRef, entity, refs };
    });
    const allRefs = [...new Set(partRefsOf.flatMap(w => w.refs))].sort();
    const { items } = allRefs.length
      ? await this.deps.catalog.getEntitiesByRefs(
          {
            entityRefs: allRefs,
            fields: [
              'kind',
              'metadata.name',
              'metadata.namespace',
              'metadata.title',
              'spec.type',
              'spec.lifecycle',
            ],
          },
          { credentials },
        )
      : { items: [] };
    const partByRef = new Map(allRefs.map((ref, i) => [ref, items[i]]));
    return partRefsOf.map(({ entityRef, entity, refs }) => {
      const named = rollupExcludedRefs(
        entity?.metadata.annotations?.[ROLLUP_EXCLUDE_ANNOTATION],
        {
          kind: entityRef.split(':')[0],
          namespace: entityRef.split(':')[1].split('/')[0],
        },
      );
      return refs.map(ref => {
        const part = partByRef.get(ref);
        const spec = (part?.spec ?? {}) as {
          type?: unknown;
          lifecycle?: unknown;
        };
        const excluded = rollupExclusion(
          {
            entityRef: ref,
            ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
            ...(typeof spec.lifecycle === 'string'
              ? { lifecycle: spec.lifecycle }
              : {}),
          },
          named,
          this.deps.rollupRules,
        );
        return {
          entityRef: ref,
          ...(excluded ? { excluded } : {}),
          ...(part ? { title: part.metadata.title ?? part.metadata.name } : {}),
          ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
          ...(typeof spec.lifecycle === 'string'
            ? { lifecycle: spec.lifecycle }
            : {}),
        };
      });
    });
  }

  /**
   * The components of a system that its roll-up counts: those of its
   * `hasPart` relations that no exclusion rule leaves out.
   */
  async componentsOf(entityRef: string): Promise<string[]> {
    return (await this.partsOf(entityRef))
      .filter(part => !part.excluded)
      .map(part => part.entityRef);
  }

  /**
   * For a system (tier 2) gate: the system's components, with the state of
   * each one's gate for the release.
   */
  private async rollupFor(
    gate: Gate,
    stores: ReadinessStores,
    known?: string[],
  ) {
    if (gate.tier !== 2) return undefined;
    const components = known ?? (await this.componentsOf(gate.entityRef));
    const states = await stores.gates.releaseStates({
      entityRefs: components,
      release: gate.release,
    });
    return {
      components: components.map(entityRef => ({
        entityRef,
        ...(states.get(entityRef) ? { state: states.get(entityRef) } : {}),
      })),
    };
  }

  /**
   * The gate's evaluation now, from its stored state alone, read through
   * `stores` (those of a transaction, when the caller is in one).
   */
  async evaluate(
    gate: Gate,
    now = new Date(),
    known?: {
      template?: GateTemplateSpec;
      entity?: KnownEntity;
      /** For a system gate: its components, when already asked of the catalog. */
      components?: string[];
    },
    stores: ReadinessStores = this.deps.stores,
  ): Promise<GateEvaluation> {
    // The entity's index row is read once (or not at all, when the caller
    // has it) for both who owns it and which windows apply.
    const entity: KnownEntity = known?.entity ?? {
      entity: await stores.entities.getEntity({ entityRef: gate.entityRef }),
    };
    const [template, evidence, voterClaims, resource, windows, rollup] =
      await readAll<
        [
          GateTemplateSpec | undefined,
          Evidence[],
          Map<string, string[]>,
          GateResource,
          Awaited<ReturnType<GateEvaluator['windowsFor']>>,
          Awaited<ReturnType<GateEvaluator['rollupFor']>>,
        ]
      >(stores, [
        async () =>
          known?.template ?? stores.gates.getGateTemplate({ gateId: gate.id }),
        () =>
          stores.evidence.listEvidence({
            entityRef: gate.entityRef,
            release: gate.release,
          }),
        () => stores.gates.getVoterClaims({ gateId: gate.id }),
        () => gateOwnersOf(stores, gate.entityRef, entity),
        () => this.windowsFor(gate, entity, stores),
        () => this.rollupFor(gate, stores, known?.components),
      ]);
    return evaluateGate({
      windows,
      ...(rollup ? { rollup } : {}),
      template: template!,
      gate,
      evidence,
      isEligible: (voter, role) =>
        isEligibleVoter(
          role,
          {
            userEntityRef: voter,
            ownershipEntityRefs: voterClaims.get(voter) ?? [],
          },
          resource.ownerRefs,
        ),
      now,
    });
  }

  /**
   * SHA-256 of what a decision was taken on: the template, the checklist, the
   * live votes, the risk assessment and the evidence ids that were evaluated.
   */
  static stateHash(gate: Gate, evaluation: GateEvaluation): string {
    const state = {
      gate: gate.id,
      release: gate.release,
      template: gate.templateHash,
      version: gate.version,
      items: gate.items.map(i => [i.id, i.status, i.waiver ?? null]),
      votes: gate.votes
        .filter(v => !v.supersededAt)
        .map(v => [v.role, v.voter, v.verdict, v.checklistRevision]),
      risk: gate.risk ?? null,
      evidence: evaluation.automated.map(a => [a.itemId, a.evidenceId ?? null]),
    };
    return createHash('sha256').update(JSON.stringify(state)).digest('hex');
  }
}
