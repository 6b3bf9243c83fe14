/**
 * An explicit gate-owner assignment.
 *
 * @public
 */
export interface GateOwnerAssignment {
  entityRef: string;
  ownerRef: string;
  assignedBy: string;
  assignedAt: string;
}

/**
 * Storage of explicit gate-owner assignments.
 *
 * @public
 */
export interface GateOwnerStore {
  listAssignments(options: {
    entityRef: string;
  }): Promise<GateOwnerAssignment[]>;
}
