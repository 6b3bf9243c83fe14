/*
 * Gate templates as their authors write them in `gate-templates/*.yaml`, and
 * as the backend loads them.
 */

/**
 * Categories of checklist items.
 *
 * @public
 */
export type ChecklistCategory =
  | 'build-and-test'
  | 'manual-validation'
  | 'security'
  | 'compliance'
  | 'performance'
  | 'documentation'
  | 'risk'
  | 'communication';

/** @public */
export const CHECKLIST_CATEGORIES: readonly ChecklistCategory[] = [
  'build-and-test',
  'manual-validation',
  'security',
  'compliance',
  'performance',
  'documentation',
  'risk',
  'communication',
];

/**
 * How an automated checklist item is fed: the newest evidence of `evidenceType`
 * for the gate's entity and release must satisfy `rule` and be younger than
 * `maxAge`.
 *
 * @public
 */
export interface AutomatedCheck {
  /** Evidence type, e.g. `test-report`, `static-analysis`, `security-scan`. */
  evidenceType: string;
  /**
   * A comparison on the evidence, e.g. `score >= 90`, `passed == true`,
   * `status == "passed"`, several joined with `and`. Field names are `status`
   * or a key of the evidence's `metrics`.
   */
  rule: string;
  /** ISO 8601 duration after which evidence is stale, e.g. `P7D`, `PT12H`. */
  maxAge: string;
}

/**
 * A checklist item as a template (or a service) defines it.
 *
 * @public
 */
export interface ChecklistItemDefinition {
  /** Unique within the checklist; lower-case kebab-case. */
  id: string;
  title: string;
  description?: string;
  category: ChecklistCategory;
  required: boolean;
  /** Present for automated items; manual items have none. */
  automated?: AutomatedCheck;
}

/**
 * Who may vote for a sign-off role. Several keys widen the set (any of them).
 *
 * @public
 */
export interface SignoffEligibility {
  /** The entity's gate owners (catalog owner group, its members, assignments). */
  gateOwners?: boolean;
  /** Members of these groups (full refs, e.g. `group:default/qa`). */
  groups?: string[];
  /** These users (full refs). */
  users?: string[];
}

/**
 * A sign-off role of a template, e.g. engineering, QA, security.
 *
 * @public
 */
export interface SignoffRole {
  id: string;
  title: string;
  eligible: SignoffEligibility;
  /** How many distinct eligible people must vote Ready. At least 1. */
  min: number;
}

/**
 * What a template demands of the risk assessment.
 *
 * @public
 */
export interface RiskRequirements {
  /** The impact matrix must have at least one row. */
  impactMatrix: boolean;
  /** Someone must have accepted the residual risk. */
  residualRiskAcceptance: boolean;
  /** A rollback plan must exist… */
  rollbackPlan: boolean;
  /** …and have been verified within this ISO 8601 duration (e.g. `P30D`). */
  rollbackVerifiedWithin?: string;
  /** A communication plan must be scheduled and approved. */
  communicationPlan: boolean;
}

/**
 * Risk assessment fields whose change makes earlier sign-off votes stale.
 *
 * @public
 */
export type MaterialRiskField =
  | 'rollbackPlan'
  | 'impactMatrix'
  | 'residualRisk'
  | 'communication';

/**
 * How a template guards against a gate being weakened by its own owners
 * (issue 14). Every key has a strict default (see `governanceOf`).
 *
 * @public
 */
export interface GovernanceSpec {
  /**
   * Who approves opening a gate with another template than the one that
   * applies to the entity, a lower-tier one or a rapid one (group or user
   * refs). Default `[group:default/release-management]`.
   */
  templateApprovers: string[];
  /** The longest a waiver may run, ISO 8601. Default `P30D`. */
  waiverMaxDuration: string;
  /**
   * Who approves a waiver of a required item, by item category. Default:
   * security and compliance items, by the groups of the template's
   * `security` / `compliance` role (else `group:default/security` /
   * `group:default/compliance`).
   */
  waiverApprovers: Partial<Record<ChecklistCategory, string[]>>;
  /** One person counts for at most one sign-off role on a gate. Default true. */
  oneRolePerPerson: boolean;
  /**
   * Whether the gate's requester may approve their own gate: count their
   * Ready vote, record its GO, approve its window exceptions. Default false.
   */
  selfApproval: boolean;
  /** Risk fields whose change makes votes stale. Default rollback plan and impact matrix. */
  materialRiskChanges: MaterialRiskField[];
}

/**
 * Which catalog entities a template applies to; every given key must match.
 *
 * @public
 */
export interface TemplateSelector {
  kind?: string;
  /** `spec.type` is one of these. */
  types?: string[];
  /** The entity has at least one of these tags. */
  tags?: string[];
}

/**
 * The roll-up rules a gate template may give (`spec.rollup`): each list
 * given replaces the app's default (`releaseReadiness.rollup` in
 * app-config, or {@link DEFAULT_ROLLUP_EXCLUSION_RULES}).
 *
 * @public
 */
export interface GateTemplateRollup {
  kinds?: string[];
  excludeTypes?: string[];
  excludeLifecycles?: string[];
  excludeTags?: string[];
}

/**
 * A gate template, as written in `gate-templates/*.yaml`.
 *
 * @public
 */
export interface GateTemplateSpec {
  name: string;
  title: string;
  description?: string;
  /** 1 component, 2 system, 3 business. */
  tier: 1 | 2 | 3;
  /** The template's own version, bumped by its authors, e.g. `3` or `2024.1`. */
  version: string;
  /** Expedited release: choosing it needs a reason, which is audited. */
  rapid: boolean;
  /** Empty: applies only when named by annotation or by choice. */
  appliesTo: TemplateSelector[];
  checklist: ChecklistItemDefinition[];
  signoffs: {
    /** Whether the gate's requester's own vote counts. */
    selfApproval: boolean;
    roles: SignoffRole[];
  };
  risk: RiskRequirements;
  /**
   * Governance of weakening; absent in templates stored before it existed,
   * which then get the strict defaults (`governanceOf`).
   */
  governance?: Partial<GovernanceSpec>;
  /** For a system or business gate: which parts its roll-up counts. */
  rollup?: GateTemplateRollup;
}

/**
 * A template as loaded by the backend.
 *
 * @public
 */
export interface GateTemplate extends GateTemplateSpec {
  /** SHA-256 of the file's content, hex. */
  hash: string;
  /** The file it came from, relative to the app's root. */
  source: string;
}
