import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { GateOwnerAssignment, GateOwnerStore } from './GateOwnerStore';
import { GateOwnerAssignmentRow } from './tables';
import { applyDatabaseMigrations } from './migrations';

function toIsoString(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/**
 * Gate-owner assignments in the plugin's database (SQLite or PostgreSQL).
 *
 * @public
 */
export class DatabaseGateOwnerStore implements GateOwnerStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseGateOwnerStore> {
    const client = await applyDatabaseMigrations(options.database);
    return new DatabaseGateOwnerStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async listAssignments(options: {
    entityRef: string;
  }): Promise<GateOwnerAssignment[]> {
    const rows = await this.db<GateOwnerAssignmentRow>('gate_owner_assignments')
      .where({ entity_ref: options.entityRef })
      .orderBy('owner_ref');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      ownerRef: row.owner_ref,
      assignedBy: row.assigned_by,
      assignedAt: toIsoString(row.assigned_at),
    }));
  }
}
