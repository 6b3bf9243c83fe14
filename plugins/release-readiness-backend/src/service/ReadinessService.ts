import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  RELATION_HAS_PART,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ConditionalPolicyDecision,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  evaluateGate,
  Evidence,
  Gate,
  GateEvaluation,
  GateResource,
  GateResourcePermission,
  GateTemplate,
  GateTemplateSpec,
  GateWithEvaluation,
  gateReadPermission,
  isEligibleVoter,
  ReleaseWindow,
  toReadinessEntityRef,
  windowApplies,
  WindowException,
} from '@release-readiness/plugin-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import { toEntityInfo } from '../catalog/entityInfo';
import { createHash } from 'node:crypto';
import { gatePermissionRules, GateQuery } from '../permissions';
import {
  AuditLog,
  EntityAtStart,
  EntityIndexStore,
  EntityInfo,
  EvidenceStore,
  GateOwnerAssignment,
  GateStore,
  GateSummary,
  IncidentStore,
  PortfolioAccess,
  readAll,
  ReadinessStores,
  StoreTransactions,
  WindowStore,
} from '../database';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

const applyGateConditions = createConditionAuthorizer(
  Object.values(gatePermissionRules),
);
const toGateQuery = createConditionTransformer(
  Object.values(gatePermissionRules),
);

/**
 * What a caller already read of an entity, so that it is not read again in
 * the same request: its index row and, when known, its gate owner
 * assignments.
 */
export interface KnownEntity {
  entity: EntityInfo | undefined;
  assignments?: GateOwnerAssignment[];
}

/** A gate with its template and its evaluation, taken together. */
export interface EvaluatedGate {
  gate: Gate;
  template: GateTemplateSpec | undefined;
  evaluation: GateEvaluation;
}

/** What a change learned before its transaction opened. */
export interface ChangeContext {
  /** For a system: its components, as the catalog lists them. */
  components?: string[];
}

/** What the entity's index row keeps of its current gate. */
export function gateSummaryOf(
  gate: Gate,
  evaluation: GateEvaluation,
): GateSummary {
  const last = gate.decisions[gate.decisions.length - 1];
  return {
    gateId: gate.id,
    release: gate.release,
    state: gate.state,
    verdict: evaluation.verdict,
    score: evaluation.score,
    blockers: evaluation.blockers.length,
    ...(gate.plannedAt ? { plannedAt: gate.plannedAt } : {}),
    ...(last ? { lastDecision: { verdict: last.verdict, at: last.at } } : {}),
  };
}

/**
 * What every route needs: the catalog seen with the caller's credentials,
 * permission checks, gate owners and the evaluation of a gate.
 */
export class ReadinessService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      userInfo: UserInfoService;
      auth: AuthService;
      entities: EntityIndexStore;
      gates: GateStore;
      audit: AuditLog;
      evidence: EvidenceStore;
      windows: WindowStore;
      incidents: IncidentStore;
      transactions: StoreTransactions;
      templates: GateTemplate[];
      configWindows: ReleaseWindow[];
    },
  ) {}

  /** Windows defined in app-config. */
  get configWindows(): ReleaseWindow[] {
    return this.deps.configWindows;
  }

  /** Every release window: from app-config, then those created through the API. */
  async allWindows(
    stores: ReadinessStores = this.deps,
  ): Promise<ReleaseWindow[]> {
    return [
      ...this.deps.configWindows,
      ...(await stores.windows.listWindows()),
    ];
  }

  /**
   * The gate, after checking the caller may act on it. Its entity is
   * refreshed from the catalog first, so that a change of owner in the
   * catalog counts at once.
   */
  async requireGate(
    gateId: string,
    credentials: BackstageCredentials,
    permission: BasicPermission | GateResourcePermission = gateReadPermission,
    denied?: (entityRef: string) => string,
  ): Promise<Gate> {
    const gate = await this.deps.gates.getGate({ gateId });
    if (!gate) {
      throw new NotFoundError(`No gate with id ${gateId}`);
    }
    const entity = await this.loadEntity(
      parseEntityRef(gate.entityRef),
      credentials,
    );
    await this.syncEntity(entity);
    await this.authorize(
      credentials,
      permission,
      gate.entityRef,
      denied?.(gate.entityRef),
    );
    return gate;
  }

  get templates(): GateTemplate[] {
    return this.deps.templates;
  }

  getTemplate(name: string): GateTemplate | undefined {
    return this.deps.templates.find(t => t.name === lower(name));
  }

  /** The entity as the caller may see it; 404 naming it otherwise. */
  async loadEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    // People see the catalog as the catalog lets them. A pipeline's token is
    // restricted to this plugin, so its look-ups go out as the plugin itself;
    // what the pipeline may do is still decided by our permissions.
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials:
        (credentials as BackstageCredentials<{ type: string }>).principal
          .type === 'service'
          ? await this.deps.auth.getOwnServiceCredentials()
          : credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No catalog entity named ${toReadinessEntityRef(ref)}`,
      );
    }
    return entity;
  }

  /** What the index keeps of the entity, without writing it. */
  entityInfo(entity: Entity): EntityInfo {
    return toEntityInfo(entity, this.deps.templates);
  }

  /** Keeps the entity's row current and returns what was stored. */
  async syncEntity(entity: Entity): Promise<EntityInfo> {
    const info = this.entityInfo(entity);
    await this.deps.entities.upsertEntity({ entity: info });
    return info;
  }

  /** Who keeps the entity's gate: its catalog owner and assignments. */
  async gateResource(
    entityRef: string,
    known?: KnownEntity,
    stores: ReadinessStores = this.deps,
  ): Promise<GateResource> {
    const [entity, assignments] = await readAll<
      [EntityInfo | undefined, GateOwnerAssignment[]]
    >(stores, [
      async () =>
        known ? known.entity : stores.entities.getEntity({ entityRef }),
      async () =>
        known?.assignments ?? stores.entities.listAssignments({ entityRef }),
    ]);
    const ownerRefs = [
      ...(entity?.ownerRef ? [entity.ownerRef] : []),
      ...assignments.map(a => a.ownerRef),
    ];
    return { entityRef, ownerRefs: [...new Set(ownerRefs)] };
  }

  /** Throws NotAllowedError unless the policy allows the permission. */
  async authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission | GateResourcePermission,
    resourceRef?: string,
    deniedMessage?: string,
  ): Promise<void> {
    let allowed: boolean;
    if (permission.type === 'resource') {
      // Conditions are applied here, against our own data, rather than by a
      // round trip from the permission backend back to this plugin.
      const [decision] = await this.deps.permissions.authorizeConditional(
        [{ permission }],
        { credentials },
      );
      allowed =
        decision.result === AuthorizeResult.CONDITIONAL
          ? applyGateConditions(decision, await this.gateResource(resourceRef!))
          : decision.result === AuthorizeResult.ALLOW;
    } else {
      const [decision] = await this.deps.permissions.authorize(
        [{ permission }],
        { credentials },
      );
      allowed = decision.result === AuthorizeResult.ALLOW;
    }
    if (!allowed) {
      throw new NotAllowedError(
        deniedMessage ??
          `You may not ${permission.attributes.action ?? 'use'} ${
            resourceRef ?? 'this'
          } (${permission.name})`,
      );
    }
  }

  /**
   * What of the portfolio the caller may read: everything, nothing, or the
   * entities the policy's conditions allow (applied in SQL).
   */
  async readAccess(
    credentials: BackstageCredentials,
    permission: GateResourcePermission,
  ): Promise<PortfolioAccess> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return { type: 'all' };
    if (decision.result === AuthorizeResult.DENY) return { type: 'none' };
    // The rules' toQuery turn the policy's conditions into SQL criteria.
    return {
      type: 'conditional',
      criteria: toGateQuery(
        (decision as ConditionalPolicyDecision).conditions as any,
      ) as PermissionCriteria<GateQuery>,
    };
  }

  /** The caller's ownership refs: the user and its catalog groups. */
  async claimsOf(credentials: BackstageCredentials<any>): Promise<string[]> {
    if (credentials.principal.type !== 'user') return [];
    const info = await this.deps.userInfo.getUserInfo(credentials);
    return [...new Set([info.userEntityRef, ...info.ownershipEntityRefs])].map(
      lower,
    );
  }

  /** The windows that apply to a gate's entity, and the gate's exceptions. */
  async windowsFor(
    gate: Gate,
    known?: { entity: EntityInfo | undefined },
    stores: ReadinessStores = this.deps,
  ) {
    const [entity, windows, exceptions] = await readAll<
      [EntityInfo | undefined, ReleaseWindow[], WindowException[]]
    >(stores, [
      async () =>
        known
          ? known.entity
          : stores.entities.getEntity({ entityRef: gate.entityRef }),
      () => this.allWindows(stores),
      () => stores.gates.listWindowExceptions({ gateId: gate.id }),
    ]);
    const target = {
      entityRef: gate.entityRef,
      ...(entity?.systemRef ? { systemRef: entity.systemRef } : {}),
      tags: entity?.tags ?? [],
    };
    return {
      windows: windows.filter(w => windowApplies(w, target)),
      exceptions,
    };
  }

  /** The components of a system, from the catalog's `hasPart` relations. */
  private async componentsOf(entityRef: string): Promise<string[]> {
    const system = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    return (system?.relations ?? [])
      .filter(r => r.type === RELATION_HAS_PART)
      .map(r => lower(r.targetRef))
      .filter(ref => ref.startsWith('component:'));
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
    stores: ReadinessStores = this.deps,
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
          Awaited<ReturnType<ReadinessService['windowsFor']>>,
          Awaited<ReturnType<ReadinessService['rollupFor']>>,
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
        () => this.gateResource(gate.entityRef, entity, stores),
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
   * The gate with its evaluation, incidents and sign-off roles. A read
   * refreshes the entity's summary when the gate is its current one and the
   * evaluation moved with time (evidence going stale, a waiver expiring);
   * `evaluated` is the evaluation a change just stored, used as it is.
   */
  async withEvaluation(
    gate: Gate,
    known?: { entity?: KnownEntity; evaluated?: EvaluatedGate },
  ): Promise<GateWithEvaluation> {
    const evaluated =
      known?.evaluated?.gate.id === gate.id ? known.evaluated : undefined;
    const template =
      evaluated?.template ??
      (await this.deps.gates.getGateTemplate({ gateId: gate.id }));
    const [evaluation, incidents] = await Promise.all([
      evaluated?.evaluation ??
        this.evaluate(gate, new Date(), {
          ...(template ? { template } : {}),
          ...(known?.entity ? { entity: known.entity } : {}),
        }),
      this.deps.incidents.listIncidents({
        entityRef: gate.entityRef,
        release: gate.release,
      }),
    ]);
    if (!evaluated) await this.storeSummary(gate, evaluation);
    return {
      ...gate,
      incidents,
      signoffRoles: template?.signoffs.roles ?? [],
      evaluation,
    };
  }

  /**
   * Stores a gate's summary on its entity's row from an evaluation of its
   * stored state, if it is the entity's current gate (see `setGateSummary`).
   */
  private async storeSummary(gate: Gate, evaluation: GateEvaluation) {
    await this.deps.entities.setGateSummary({
      entityRef: gate.entityRef,
      gateId: gate.id,
      gateVersion: gate.version,
      summary:
        gate.state === 'cancelled'
          ? undefined
          : gateSummaryOf(gate, evaluation),
    });
  }

  /**
   * Evaluates the gate now and stores its summary: for what changes an
   * evaluation outside any gate (a release window created, time passing).
   */
  async refreshSummary(gate: Gate): Promise<void> {
    await this.storeSummary(gate, await this.evaluate(gate));
  }

  /**
   * Makes a change on an entity's behalf and, in the same transaction,
   * stores the summary of the entity's current gate as the change leaves
   * it: the portfolio never shows a gate as it was before a change that
   * committed, and a change whose summary cannot be stored is not made.
   *
   * `onlyForRelease` names the one release whose gate the change can move
   * (evidence): when the entity's summary names another current release,
   * it is left as it is. Returns what the change returned and the current
   * gate, evaluated.
   */
  async changeEntity<T>(
    entityRef: string,
    change: (stores: ReadinessStores, context: ChangeContext) => Promise<T>,
    options: { onlyForRelease?: string } = {},
  ): Promise<{ result: T; current?: EvaluatedGate }> {
    return this.inEntityTransaction(entityRef, async (stores, at, context) => {
      const result = await change(stores, context);
      const changed = result as Partial<Gate> | undefined;
      const current = await this.storeCurrentSummary(stores, entityRef, {
        context,
        ...(options.onlyForRelease !== undefined
          ? { onlyForRelease: options.onlyForRelease, at }
          : {}),
        ...(changed?.id && changed.entityRef === entityRef
          ? { changed: changed as Gate }
          : {}),
      });
      return { result, ...(current ? { current } : {}) };
    });
  }

  /**
   * Changes a gate (see `changeEntity`) and returns it with its evaluation,
   * incidents and sign-off roles, all read inside the transaction: once it
   * has committed nothing is left to read, so a committed change is never
   * answered with an error (and an error means nothing was written).
   */
  async changeGate(
    entityRef: string,
    change: (stores: ReadinessStores, context: ChangeContext) => Promise<Gate>,
  ): Promise<GateWithEvaluation> {
    return this.inEntityTransaction(entityRef, async (stores, _at, context) => {
      const gate = await change(stores, context);
      const current = await this.storeCurrentSummary(stores, entityRef, {
        context,
        ...(gate.entityRef === entityRef ? { changed: gate } : {}),
      });
      let evaluated: EvaluatedGate;
      if (current?.gate.id === gate.id) {
        evaluated = current;
      } else {
        const template = await stores.gates.getGateTemplate({
          gateId: gate.id,
        });
        const evaluation = await this.evaluate(
          gate,
          new Date(),
          {
            ...(template ? { template } : {}),
            ...(context.components ? { components: context.components } : {}),
          },
          stores,
        );
        evaluated = { gate, template, evaluation };
      }
      const incidents = await stores.incidents.listIncidents({
        entityRef: gate.entityRef,
        release: gate.release,
      });
      return {
        ...gate,
        incidents,
        signoffRoles: evaluated.template?.signoffs.roles ?? [],
        evaluation: evaluated.evaluation,
      };
    });
  }

  /**
   * Runs work in the entity's transaction (see StoreTransactions). For a
   * system, its components are asked of the catalog first, not while the
   * transaction holds the entity's row (or, on SQLite, the database).
   */
  private async inEntityTransaction<T>(
    entityRef: string,
    work: (
      stores: ReadinessStores,
      at: EntityAtStart,
      context: ChangeContext,
    ) => Promise<T>,
  ): Promise<T> {
    const components = entityRef.startsWith('system:')
      ? await this.componentsOf(entityRef)
      : undefined;
    return this.deps.transactions.forEntity(entityRef, (stores, at) =>
      work(stores, at, components ? { components } : {}),
    );
  }

  /**
   * Inside a change's transaction: evaluates the entity's current gate as
   * the change left it and stores its summary on the entity's row. With
   * `onlyForRelease`, an entity whose summary names another current release
   * is left alone. Returns the current gate, evaluated, if one was.
   */
  private async storeCurrentSummary(
    stores: ReadinessStores,
    entityRef: string,
    options: {
      context: ChangeContext;
      changed?: Gate;
      onlyForRelease?: string;
      at?: EntityAtStart;
    },
  ): Promise<EvaluatedGate | undefined> {
    if (
      options.onlyForRelease !== undefined &&
      options.at?.currentRelease !== undefined &&
      options.at.currentRelease !== options.onlyForRelease
    ) {
      return undefined;
    }
    const ref = await stores.entities.getCurrentGateRef({ entityRef });
    if (!ref) {
      await stores.entities.clearGateSummary({ entityRef });
      return undefined;
    }
    // The change's own gate, as it returned it, when that is the current one.
    const gate =
      options.changed?.id === ref.gateId
        ? options.changed
        : (await stores.gates.getGate({ gateId: ref.gateId }))!;
    const template = await stores.gates.getGateTemplate({ gateId: gate.id });
    const evaluation = await this.evaluate(
      gate,
      new Date(),
      {
        ...(template ? { template } : {}),
        ...(options.context.components
          ? { components: options.context.components }
          : {}),
      },
      stores,
    );
    await stores.entities.setGateSummary({
      entityRef,
      gateId: gate.id,
      gateVersion: gate.version,
      summary: gateSummaryOf(gate, evaluation),
    });
    return { gate, template, evaluation };
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
