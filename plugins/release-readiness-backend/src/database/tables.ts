/**
 * Row types of the plugin's tables, exactly as stored (snake_case). They are
 * mapped to domain types in the store classes and nowhere else.
 */

/** A row of `gate_owner_assignments`. */
export interface GateOwnerAssignmentRow {
  entity_ref: string;
  owner_ref: string;
  assigned_by: string;
  assigned_at: Date | string;
}
