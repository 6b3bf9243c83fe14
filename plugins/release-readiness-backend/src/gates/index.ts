import {
  AuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GateTemplate,
  ReleaseWindow,
  RollupExclusionRules,
} from '@release-readiness/plugin-common';
import { CatalogRefs } from '../catalog/CatalogRefs';
import { catalogPeople, PeopleDirectory } from '../notifications/people';
import { ReadinessStores, StoreTransactions } from '../database';
import { EntityChanges } from './EntityChanges';
import { GateAccess } from './GateAccess';
import { ApprovalCommands } from './ApprovalCommands';
import { GateCommands } from './GateCommands';
import { GateEvaluator } from './GateEvaluator';
import { WindowExceptionCommands } from './windowExceptions';

export { EntityChanges, gateSummaryOf } from './EntityChanges';
export type { ChangeContext } from './EntityChanges';
export { GateAccess, gateOwnersOf } from './GateAccess';
export type { KnownEntity } from './GateAccess';
export {
  GateCommands,
  MAX_ITEM_VERSION,
  requireEditable,
  validateItemDefinition,
} from './GateCommands';
export type { Actor } from './GateCommands';
export { ApprovalCommands } from './ApprovalCommands';
export { WindowExceptionCommands } from './windowExceptions';
export type { ExceptionRequestResult } from './windowExceptions';
export { GateEvaluator } from './GateEvaluator';
export type { EvaluatedGate, RollupPartInfo } from './GateEvaluator';
export {
  readRollup,
  entityRollup,
  readRollupRules,
  readSystemRollups,
  proposeRelease,
  tallyRollup,
} from './rollup';
export { requestTimestamp } from './timestamps';
export { setPlannedTime } from './plannedTime';
export { setReleaseManifest } from './manifest';
export { proposeFacilitator, setFacilitator } from './facilitator';
export {
  DEFAULT_MAX_CLOCK_SKEW_MS,
  evidenceFactFields,
  evidenceObservedAt,
  readMaxClockSkew,
  recordEvidence,
  recordEvidenceOfRelease,
} from './evidence';
export type { PostedEvidence } from './evidence';

/**
 * The gate domain, its four parts wired together: who may do what
 * (access), what a gate's evaluation is (evaluator), how a change is made in
 * the entity's transaction (changes) and the commands that change gates.
 */
export interface GateDomain {
  access: GateAccess;
  evaluator: GateEvaluator;
  changes: EntityChanges;
  commands: GateCommands;
  /** Approvals governance asks for (template choice, waivers). */
  approvals: ApprovalCommands;
  /** Refs typed into requests, checked against the catalog. */
  refs: CatalogRefs;
  /** Exceptions to release windows: request, approve, reject. */
  windowExceptions: WindowExceptionCommands;
  /** Who is in a group, from the catalog (facilitator rotation). */
  people: PeopleDirectory;
}

/** Wires the gate domain on the plugin's services and stores. */
export function createGateDomain(deps: {
  catalog: CatalogService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  auth: AuthService;
  stores: ReadinessStores;
  transactions: StoreTransactions;
  templates: GateTemplate[];
  configWindows: ReleaseWindow[];
  /** What roll-ups leave out (`releaseReadiness.rollup`); the defaults when not given. */
  rollupRules?: RollupExclusionRules;
}): GateDomain {
  const { stores } = deps;
  const access = new GateAccess({
    catalog: deps.catalog,
    permissions: deps.permissions,
    userInfo: deps.userInfo,
    auth: deps.auth,
    entities: stores.entities,
    gates: stores.gates,
    templates: deps.templates,
  });
  const evaluator = new GateEvaluator({
    catalog: deps.catalog,
    auth: deps.auth,
    stores,
    configWindows: deps.configWindows,
    ...(deps.rollupRules ? { rollupRules: deps.rollupRules } : {}),
  });
  const changes = new EntityChanges({
    stores,
    transactions: deps.transactions,
    evaluator,
  });
  const refs = new CatalogRefs({ catalog: deps.catalog, auth: deps.auth });
  const people = catalogPeople({ catalog: deps.catalog, auth: deps.auth });
  const commands = new GateCommands({
    access,
    evaluator,
    changes,
    stores,
    refs,
    people,
  });
  const approvals = new ApprovalCommands({ changes });
  const windowExceptions = new WindowExceptionCommands({
    evaluator,
    changes,
    stores,
  });
  return {
    access,
    evaluator,
    changes,
    commands,
    approvals,
    refs,
    windowExceptions,
    people,
  };
}
export { readCalendar } from './calendar';
export { isRetired, windowTarget } from './GateEvaluator';
