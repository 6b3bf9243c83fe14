import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
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
  RollupExclusionRules,
  windowApplies,
  WindowException,
  WindowExceptionRequestRecord,
  countingExceptions,
} from '@release-readiness/plugin-common';
import { createHash } from 'node:crypto';
import {
  EntityInfo,
  newestEvidenceReadWith,
  readAll,
  ReadinessStores,
  windowsReadWith,
} from '../database';
import { gateOwnersOf, KnownEntity } from './GateAccess';
import { manifestStates } from './manifestStates';
import {
  applyRollupRules,
  CatalogPart,
  readCatalogParts,
  RollupPartInfo,
  rulesFor,
} from './parts';

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

export type { RollupPartInfo } from './parts';

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
    const entity = known
      ? known.entity
      : await stores.entities.getEntity({ entityRef });
    // The windows in force as read with the entity's row (entityRows.ts),
    // else read now.
    const readWith = windowsReadWith(entity);
    const windows = readWith
      ? [...this.deps.configWindows, ...readWith]
      : await this.allWindows(stores);
    return windows.filter(w =>
      windowApplies(w, windowTarget(entityRef, entity)),
    );
  }

  /**
   * The windows that apply to a gate's entity, and the gate's approvals of
   * exceptions that still count (exceptionCounts: given for the window as it
   * is now, and not for a request since rejected or let lapse).
   */
  async windowsFor(
    gate: Gate,
    known?: { entity: EntityInfo | undefined },
    stores: ReadinessStores = this.deps.stores,
  ) {
    const [windows, approvals, requests] = await readAll<
      [ReleaseWindow[], WindowException[], WindowExceptionRequestRecord[]]
    >(stores, [
      () => this.windowsApplyingTo(gate.entityRef, known, stores),
      () => stores.gates.listWindowExceptions({ gateId: gate.id, gate }),
      () => stores.windows.listExceptionRequests({ gateId: gate.id, gate }),
    ]);
    return {
      windows,
      exceptions: countingExceptions(approvals, windows, requests),
    };
  }

  /** The parts of a whole as the catalog lists them (gates/parts.ts). */
  catalogParts(entityRef: string, whole?: Entity): Promise<CatalogPart[]> {
    return readCatalogParts(this.deps, entityRef, whole);
  }

  /** The roll-up rules in force for gates of a template. */
  rollupRules(template?: Pick<GateTemplateSpec, 'rollup'>) {
    return rulesFor(this.deps.rollupRules, template);
  }

  /**
   * The parts of a system (its components) or of a domain (its systems),
   * from the catalog's `hasPart` relations, with why each does not count
   * under the template's rules (the app's, without a template): two
   * catalog reads (one when the whole is given, none when its parts are).
   */
  async partsOf(
    entityRef: string,
    options: {
      whole?: Entity;
      template?: Pick<GateTemplateSpec, 'rollup'>;
      catalogParts?: CatalogPart[];
    } = {},
  ): Promise<RollupPartInfo[]> {
    const parts =
      options.catalogParts ??
      (await this.catalogParts(entityRef, options.whole));
    return applyRollupRules(
      parts,
      entityRef,
      this.rollupRules(options.template),
    );
  }

  /**
   * For a system (tier 2) gate: the components its roll-up counts, with the
   * state of each one's gate for the release its manifest names (the
   * gate's own release for a component the manifest does not name).
   */
  private async rollupFor(
    gate: Gate,
    template: GateTemplateSpec | undefined,
    stores: ReadinessStores,
    known?: CatalogPart[],
  ) {
    if (gate.tier !== 2) return undefined;
    const components = (
      await this.partsOf(gate.entityRef, {
        ...(template ? { template } : {}),
        ...(known ? { catalogParts: known } : {}),
      })
    )
      .filter(part => !part.excluded)
      .map(part => part.entityRef);
    const states = await manifestStates(stores.gates, {
      entityRefs: components,
      release: gate.release,
      ...(gate.manifest ? { manifest: gate.manifest } : {}),
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
      /** For a system gate: its parts, when already asked of the catalog. */
      parts?: CatalogPart[];
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
        async () =>
          // As read with the gate locked for a change, when it was.
          newestEvidenceReadWith(gate) ??
          stores.evidence.listNewestEvidence({
            entityRef: gate.entityRef,
            release: gate.release,
          }),
        () => stores.gates.getVoterClaims({ gateId: gate.id, gate }),
        () => gateOwnersOf(stores, gate.entityRef, entity),
        () => this.windowsFor(gate, entity, stores),
        // A system gate's roll-up counts parts by its template's rules.
        async () =>
          gate.tier === 2
            ? this.rollupFor(
                gate,
                known?.template ??
                  (await stores.gates.getGateTemplate({ gateId: gate.id })),
                stores,
                known?.parts,
              )
            : undefined,
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
      // A system release's manifest is part of what was decided on (absent
      // from gates without one, whose hashes stay as they were).
      ...(gate.manifest ? { manifest: gate.manifest } : {}),
    };
    return createHash('sha256').update(JSON.stringify(state)).digest('hex');
  }
}
