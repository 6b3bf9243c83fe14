/**
 * Row types of the plugin's tables, exactly as stored (snake_case). They are
 * mapped to domain types in `mappers.ts` and nowhere else. JSON columns are
 * text on both engines; timestamps are written as ISO strings and read back as
 * whatever the driver returns (Date on PostgreSQL, string on SQLite).
 */

/**
 * A timestamp as a driver returns it: a Date on PostgreSQL, a string on SQLite.
 *
 * @public
 */
export type Timestamp = Date | string;

/** `gate_owner_assignments` */
export interface GateOwnerAssignmentRow {
  entity_ref: string;
  owner_ref: string;
  assigned_by: string;
  assigned_at: Timestamp;
}

/**
 * A row of `entities`.
 *
 * @public
 */
export interface EntityRow {
  entity_ref: string;
  kind: string;
  title: string;
  type: string | null;
  lifecycle: string | null;
  owner_ref: string | null;
  system_ref: string | null;
  tags: string;
  template_name: string | null;
  tier: number | null;
  current_gate_id: string | null;
  current_release: string | null;
  current_state: string | null;
  current_verdict: string | null;
  current_score: number | null;
  current_blockers: number | null;
  current_planned_at?: Timestamp | null;
  current_decision?: string | null;
  current_decided_at?: Timestamp | null;
  current_gate_version?: number | null;
  refreshed_at: Timestamp;
}

/** `service_items` */
export interface ServiceItemRow {
  entity_ref: string;
  item_id: string;
  definition: string;
  created_by: string;
  created_at: Timestamp;
}

/**
 * A row of `gates`.
 *
 * @public
 */
export interface GateRow {
  id: string;
  entity_ref: string;
  release: string;
  template_name: string;
  template_version: string;
  template: string;
  template_hash: string;
  tier: number;
  state: string;
  planned_at: Timestamp | null;
  requested_by: string;
  rapid_reason: string | null;
  /** Why another, a lower-tier or a rapid template was chosen (governance). */
  template_reason?: string | null;
  /** JSON TemplateApproval, when the template choice needs one. */
  template_approval?: string | null;
  /** JSON ReleaseManifest of a system gate (component ref → release). */
  manifest?: string | null;
  facilitator?: string | null;
  /** When the gate went to released (the outcome loop). */
  released_at?: Timestamp | null;
  risk: string | null;
  opened_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  checklist_revision: number;
}

/**
 * A row of `gate_items`.
 *
 * @public
 */
export interface GateItemRow {
  gate_id: string;
  item_id: string;
  position: number;
  source: string;
  definition: string;
  status: string;
  note: string | null;
  waiver: string | null;
  updated_by: string | null;
  updated_at: Timestamp | null;
  version: number;
  /** The item was failed at some point of the gate (the outcome loop). */
  ever_failed?: boolean | number;
}

/**
 * A row of `votes`.
 *
 * @public
 */
export interface VoteRow {
  id: string;
  gate_id: string;
  role: string;
  voter: string;
  voter_claims: string;
  verdict: string;
  comment: string | null;
  checklist_revision: number;
  at: Timestamp;
  superseded_at: Timestamp | null;
}

/**
 * A row of `evidence`.
 *
 * @public
 */
export interface EvidenceRow {
  id: string;
  entity_ref: string;
  release: string;
  type: string;
  status: string;
  metrics: string;
  link: string | null;
  commit_sha: string | null;
  run_id: string;
  observed_at: Timestamp;
  received_at: Timestamp;
  posted_by: string;
}

/**
 * A row of `decisions`.
 *
 * @public
 */
export interface DecisionRow {
  id: string;
  gate_id: string;
  verdict: string;
  reason: string;
  decided_by: string;
  at: Timestamp;
  state_hash: string;
  blocker_count?: number | null;
  /** Seq of the gate chain's head when recorded (the decision's own event). */
  head_seq?: number | null;
  /** Hash of the gate chain's head when recorded. */
  head_hash?: string | null;
}

/** `audit_events` */
export interface AuditEventRow {
  id: number | string;
  entity_ref: string;
  gate_id: string | null;
  actor: string;
  action: string;
  before: string | null;
  after: string | null;
  at: Timestamp;
  /** The hash of the previous event of the chain (see `audit/chain.ts`). */
  prev_hash: string | null;
  /** SHA-256 of the event's content and `prev_hash`. */
  hash: string | null;
  /** `gate:<id>` or `entity:<ref>` (see `audit/chain.ts`). */
  chain?: string | null;
  /** Position of the event in its chain, from 1. */
  seq?: number | null;
}

/** `audit_heads`: the last event of each chain. */
export interface AuditHeadRow {
  chain: string;
  seq: number;
  hash: string;
  updated_at: Timestamp;
}

/** `window_exceptions` */
export interface WindowExceptionRow {
  id: string;
  gate_id: string;
  window_id: string;
  reason: string;
  approved_by: string;
  covers: string;
  approved_at: Timestamp;
  window_version?: number | null;
  request_id?: string | null;
}

/** `window_exception_requests` */
export interface WindowExceptionRequestRow {
  id: string;
  gate_id: string;
  window_id: string;
  window_version: number | null;
  reason: string;
  requested_by: string;
  requested_at: Timestamp;
  state: string;
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: Timestamp | null;
}

/** `release_windows` */
export interface ReleaseWindowRow {
  id: string;
  definition: string;
  created_by: string;
  created_at: Timestamp;
  version: number;
  updated_by: string | null;
  updated_at: Timestamp | null;
  retired_at: Timestamp | null;
  retired_by: string | null;
  retire_reason: string | null;
}

/** `release_window_versions` */
export interface ReleaseWindowVersionRow {
  window_id: string;
  version: number;
  action: string;
  definition: string;
  reason: string | null;
  actor: string;
  at: Timestamp;
}

/** `incidents` */
export interface IncidentRow {
  id: string;
  entity_ref: string;
  release: string;
  severity: string;
  title: string;
  link: string | null;
  occurred_at: Timestamp;
  reported_by: string;
  reported_at: Timestamp;
  /** No gate (other than cancelled ones) of the release when reported. */
  ungated: boolean | number;
  /** The incident source that reported it; null when posted to the API. */
  source?: string | null;
  /** The source's name for people. */
  source_title?: string | null;
  /** The incident's id in its source. */
  external_id?: string | null;
}

/** `notifications_sent` */
export interface NotificationSentRow {
  key: string;
  sent_at: Timestamp;
}

export interface NotificationDeliveryRow {
  id: number | string;
  recipient: string;
  topic: string;
  gate_id: string;
  role: string;
  status: 'sent' | 'held' | 'dropped';
  notification_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}
