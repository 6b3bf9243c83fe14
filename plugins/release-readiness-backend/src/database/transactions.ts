/*
 * One transaction across the plugin's stores, for a change whose
 * consequences must commit with it or not at all: a gate's change and the
 * summary of the entity's current gate that the portfolio reads.
 *
 * On PostgreSQL the transaction first locks the entity's index row. Every
 * such transaction, and the index sync, takes that row before the gate,
 * metrics and summary rows it writes, so two of them on one entity take turns
 * instead of deadlocking. SQLite runs one writer at a time anyway.
 */
import { Knex } from 'knex';
import { ApprovalStore } from './ApprovalStore';
import { AuditLog } from './AuditLog';
import { DatabaseApprovalStore } from './DatabaseApprovalStore';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { DatabaseEntityIndexStore } from './DatabaseEntityIndexStore';
import { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
import { DatabaseGateStore } from './DatabaseGateStore';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseWindowStore } from './DatabaseWindowStore';
import {
  EntityRowWithAssignments,
  keepReadWith,
  rememberTransactionEntity,
  selectEntity,
} from './entityRows';
import { EntityIndexStore, EntityInfo } from './EntityIndexStore';
import { EvidenceStore } from './EvidenceStore';
import { GateStore } from './GateStore';
import { IncidentStore } from './IncidentStore';
import { toIndexedEntity } from './mappers';
import { WindowStore } from './WindowStore';

/** The stores, all bound to the same database or transaction. */
export interface ReadinessStores {
  entities: EntityIndexStore;
  gates: GateStore;
  audit: AuditLog;
  evidence: EvidenceStore;
  windows: WindowStore;
  incidents: IncidentStore;
  /** Governance writes: approvals and stale votes (issue 14). */
  approvals: ApprovalStore;
  /** Bound to a transaction: its one connection takes a query at a time. */
  inTransaction?: boolean;
}

/** What the transaction found of the entity when it took it. */
export interface EntityAtStart {
  /**
   * The release of the entity's current gate, as its summary names it;
   * undefined when the summary names none (no gate, or not summarised yet).
   */
  currentRelease: string | undefined;
  /** The id of the entity's current gate, as its summary names it. */
  currentGateId: string | undefined;
  /**
   * The entity's index row as the transaction took it (undefined when the
   * entity is not indexed): its catalog facts do not change inside a
   * change's transaction, so an evaluation there need not read it again.
   */
  entity: EntityInfo | undefined;
}

/** Runs work in one transaction across the stores. */
export interface StoreTransactions {
  /**
   * Runs `work` with stores bound to one transaction on the entity's
   * behalf: committed when it resolves, rolled back when it throws. Inside,
   * only the stores given may be used (on SQLite the transaction holds the
   * only connection).
   */
  forEntity<T>(
    entityRef: string,
    work: (stores: ReadinessStores, atStart: EntityAtStart) => Promise<T>,
  ): Promise<T>;
}

/** @internal */
export class DatabaseStoreTransactions implements StoreTransactions {
  static create(options: { db: Knex }): DatabaseStoreTransactions {
    return new DatabaseStoreTransactions(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async forEntity<T>(
    entityRef: string,
    work: (stores: ReadinessStores, atStart: EntityAtStart) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async trx => {
      // The entity's row, taken (PostgreSQL) and read. Its summary names the
      // current gate's release: every change of which gate is current
      // stores it in a transaction like this one, and a statement that
      // waited for the lock reads the row as the holder committed it.
      // With its gate owner assignments, which the change's evaluation
      // judges its votes by, and the release windows in force
      // (entityRows.ts).
      const row: EntityRowWithAssignments | undefined = await selectEntity(
        trx,
        entityRef,
        { lock: true },
      );
      const entity = row ? toIndexedEntity(row) : undefined;
      if (row && entity) {
        keepReadWith(entity, row);
        rememberTransactionEntity(trx, entity);
      }
      return work(
        {
          entities: DatabaseEntityIndexStore.create({ db: trx }),
          gates: DatabaseGateStore.create({ db: trx }),
          audit: DatabaseAuditLog.create({ db: trx }),
          evidence: DatabaseEvidenceStore.create({ db: trx }),
          windows: DatabaseWindowStore.create({ db: trx }),
          incidents: DatabaseIncidentStore.create({ db: trx }),
          approvals: DatabaseApprovalStore.create({ db: trx }),
          inTransaction: true,
        },
        {
          currentRelease: row?.current_release ?? undefined,
          currentGateId: row?.current_gate_id ?? undefined,
          entity,
        },
      );
    });
  }
}
