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
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ConditionalPolicyDecision,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  Gate,
  GateResource,
  GateResourcePermission,
  GateTemplate,
  gateReadPermission,
  toReadinessEntityRef,
} from '@release-readiness/plugin-common';
import { toEntityInfo } from '../catalog/entityInfo';
import {
  assignmentsReadWith,
  EntityIndexStore,
  EntityInfo,
  GateHead,
  GateOwnerAssignment,
  GateStore,
  PortfolioAccess,
  readAll,
  ReadinessStores,
} from '../database';
import { gatePermissionRules, GateQuery } from '../permissions';

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

/** What reading an entity's owners needs: the entity index, maybe in a transaction. */
export type EntityReads = Pick<ReadinessStores, 'entities' | 'inTransaction'>;

/**
 * Who keeps the entity's gate: its catalog owner and its assigned gate
 * owners, read through `stores` (those of a transaction, when the caller is
 * in one).
 */
export async function gateOwnersOf(
  stores: EntityReads,
  entityRef: string,
  known?: KnownEntity,
): Promise<GateResource> {
  const [entity, assignments] = await readAll<
    [EntityInfo | undefined, GateOwnerAssignment[]]
  >(stores, [
    async () =>
      known ? known.entity : stores.entities.getEntity({ entityRef }),
    async () =>
      known?.assignments ??
      assignmentsReadWith(known?.entity) ??
      stores.entities.listAssignments({ entityRef }),
  ]);
  const ownerRefs = [
    ...(entity?.ownerRef ? [entity.ownerRef] : []),
    ...assignments.map(a => a.ownerRef),
  ];
  return { entityRef, ownerRefs: [...new Set(ownerRefs)] };
}

/**
 * Who the caller is and what they may do: the catalog seen with the
 * caller's credentials, the permission framework's decisions (conditions
 * applied against our own data), gate owners and the templates.
 */
export class GateAccess {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      userInfo: UserInfoService;
      auth: AuthService;
      entities: EntityIndexStore;
      gates: GateStore;
      templates: GateTemplate[];
    },
  ) {}

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
    return (
      await this.requireGateAndEntity(gateId, credentials, permission, denied)
    ).gate;
  }

  /**
   * {@link GateAccess.requireGate}, with the entity's index row as the
   * request left it: for an answer that evaluates the gate without reading
   * the row again.
   */
  async requireGateAndEntity(
    gateId: string,
    credentials: BackstageCredentials,
    permission: BasicPermission | GateResourcePermission = gateReadPermission,
    denied?: (entityRef: string) => string,
  ): Promise<{ gate: Gate; entity: EntityInfo }> {
    // The gate with its entity's row: the row is then not read again to
    // keep it current.
    return this.requireRead(
      () => this.deps.gates.getGateAndEntity({ gateId }),
      gateId,
      credentials,
      permission,
      denied,
    );
  }

  /**
   * {@link GateAccess.requireGateAndEntity} with only the gate's head (id,
   * entity, release, state): for a change whose transaction reads the gate
   * whole, locked, and needs nothing else of it before.
   */
  async requireGateHead(
    gateId: string,
    credentials: BackstageCredentials,
    permission: BasicPermission | GateResourcePermission,
    denied?: (entityRef: string) => string,
  ): Promise<{ gate: GateHead; entity: EntityInfo }> {
    return this.requireRead(
      () => this.deps.gates.getGateHeadAndEntity({ gateId }),
      gateId,
      credentials,
      permission,
      denied,
    );
  }

  private async requireRead<G extends GateHead>(
    read: () => Promise<
      { gate: G; entity: EntityInfo | undefined } | undefined
    >,
    gateId: string,
    credentials: BackstageCredentials,
    permission: BasicPermission | GateResourcePermission,
    denied?: (entityRef: string) => string,
  ): Promise<{ gate: G; entity: EntityInfo }> {
    // The policy's answer does not depend on the gate (its conditions are
    // applied below, on the owners read here): asked first, it is worked
    // out while the gate and the catalog's entity are read.
    const decision = this.decide(credentials, permission);
    const found = await read();
    if (!found) {
      throw new NotFoundError(`No gate with id ${gateId}`);
    }
    const { gate } = found;
    const entity = await this.loadEntity(
      parseEntityRef(gate.entityRef),
      credentials,
    );
    const info = await this.syncEntity(entity, { entity: found.entity });
    await this.authorize(
      credentials,
      permission,
      gate.entityRef,
      denied?.(gate.entityRef),
      { entity: info },
      decision,
    );
    return { gate, entity: info };
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

  /**
   * Keeps the entity's row current and returns what was stored; `stored` is
   * the row as the request read it, when it did.
   */
  async syncEntity(
    entity: Entity,
    stored?: { entity: EntityInfo | undefined },
  ): Promise<EntityInfo> {
    return this.deps.entities.upsertEntity({
      entity: this.entityInfo(entity),
      ...(stored ? { stored } : {}),
    });
  }

  /** Who keeps the entity's gate: its catalog owner and assignments. */
  gateResource(
    entityRef: string,
    known?: KnownEntity,
    stores: EntityReads = this.deps,
  ): Promise<GateResource> {
    return gateOwnersOf(stores, entityRef, known);
  }

  /**
   * The policy's decision on `permission` for the caller, asked now: give
   * it to {@link GateAccess.authorize} once the resource is known, so that
   * the permission framework's round trip runs beside the request's reads.
   * A request that fails before awaiting it leaves no unhandled rejection.
   */
  decide(
    credentials: BackstageCredentials,
    permission: BasicPermission | GateResourcePermission,
  ): Promise<PolicyDecision> {
    const decision: Promise<PolicyDecision> =
      permission.type === 'resource'
        ? // Conditions are applied in authorize, against our own data,
          // rather than by a round trip from the permission backend back
          // to this plugin.
          this.deps.permissions
            .authorizeConditional([{ permission }], { credentials })
            .then(([answer]) => answer)
        : this.deps.permissions
            .authorize([{ permission }], { credentials })
            .then(([answer]) => answer);
    decision.catch(() => undefined);
    return decision;
  }

  /**
   * Throws NotAllowedError unless the policy allows the permission;
   * `decided` is the decision {@link GateAccess.decide} asked for earlier in
   * the request, if it did.
   */
  async authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission | GateResourcePermission,
    resourceRef?: string,
    deniedMessage?: string,
    known?: KnownEntity,
    decided: Promise<PolicyDecision> = this.decide(credentials, permission),
  ): Promise<void> {
    const decision = await decided;
    const allowed =
      decision.result === AuthorizeResult.CONDITIONAL
        ? permission.type === 'resource' &&
          applyGateConditions(
            decision,
            await this.gateResource(resourceRef!, known),
          )
        : decision.result === AuthorizeResult.ALLOW;
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
}
