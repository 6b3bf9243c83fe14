/*
 * The rows the generator writes, gathered per chunk of entities as the
 * plugin's tables hold them, and how a chunk is inserted: in one
 * transaction, with the gates' metrics rows, their outcome loop roll-up
 * and their metrics per team and month derived as the plugin derives them.
 */
import {
  DecisionFacts,
  DecisionRow,
  EntityOwnership,
  EvidenceRow,
  GateFacts,
  GateItemRow,
  gateMetricsRow,
  GateMetricsRow,
  GateRow,
  IncidentFacts,
  moveItemOutcomes,
  moveTeamMonths,
  contributionOf,
  VoteRow,
} from '@release-readiness/plugin-backend/internal';
import type { Knex } from 'knex';

/** An event of a gate's hash-chained audit trail, as stored. */
export interface AuditRow {
  entity_ref: string;
  gate_id: string;
  actor: string;
  action: string;
  before: string | null;
  after: string | null;
  at: string;
  prev_hash: string | null;
  hash: string;
  chain: string;
  seq: number;
}

/** The head of each chain of the chunk, as `audit_heads` keeps it. */
function headsOf(audit: AuditRow[]): object[] {
  const heads = new Map<string, AuditRow>();
  for (const row of audit) {
    const head = heads.get(row.chain);
    if (!head || row.seq > head.seq) heads.set(row.chain, row);
  }
  return [...heads.values()].map(row => ({
    chain: row.chain,
    seq: row.seq,
    hash: row.hash,
    updated_at: row.at,
  }));
}

/** The metrics rows of the gates of a chunk, as the plugin derives them. */
function metricsRowsOf(rows: Rows): GateMetricsRow[] {
  const decisionsOf = new Map<unknown, DecisionFacts[]>();
  for (const d of rows.decisions) {
    const list = decisionsOf.get(d.gate_id) ?? [];
    list.push(d as unknown as DecisionFacts);
    decisionsOf.set(d.gate_id, list);
  }
  const entityOf = new Map(
    rows.entities.map(e => [e.entity_ref, e as EntityOwnership]),
  );
  const incidentsOf = new Map<string, IncidentFacts[]>();
  for (const i of rows.incidents) {
    const key = `${i.entity_ref} ${i.release}`;
    incidentsOf.set(key, [
      ...(incidentsOf.get(key) ?? []),
      i as unknown as IncidentFacts,
    ]);
  }
  return rows.gates.flatMap(gate => {
    const row = gateMetricsRow(
      gate as unknown as GateFacts,
      decisionsOf.get(gate.id) ?? [],
      entityOf.get(gate.entity_ref),
      incidentsOf.get(`${gate.entity_ref} ${gate.release}`) ?? [],
    );
    return row ? [row] : [];
  });
}

/** The rows of one chunk of entities, inserted together. */
export class Rows {
  entities: Record<string, unknown>[] = [];
  gates: GateRow[] = [];
  items: GateItemRow[] = [];
  votes: VoteRow[] = [];
  decisions: DecisionRow[] = [];
  evidence: EvidenceRow[] = [];
  incidents: Record<string, unknown>[] = [];
  audit: AuditRow[] = [];
  debriefs: Record<string, unknown>[] = [];
  followUps: Record<string, unknown>[] = [];

  get size() {
    return (
      this.gates.length +
      this.items.length +
      this.votes.length +
      this.audit.length +
      this.evidence.length
    );
  }
}

/**
 * Inserts the rows of a chunk in one transaction; the index rows are
 * upserted (their catalog columns refreshed, their current gate set).
 */
export async function insertRows(db: Knex, rows: Rows): Promise<void> {
  // SQLite inserts many rows as one compound SELECT (at most 500 terms) and
  // binds at most 32,766 variables per statement.
  const isSqlite = String(db.client.config.client).includes('sqlite');
  const chunkFor = (columns: number) =>
    Math.max(1, Math.min(isSqlite ? 500 : 2_000, Math.floor(30_000 / columns)));

  await db.transaction(async trx => {
    const insert = async (table: string, list: object[]) => {
      if (!list.length) return;
      const chunk = chunkFor(Object.keys(list[0]).length);
      for (let i = 0; i < list.length; i += chunk) {
        await trx(table).insert(list.slice(i, i + chunk));
      }
    };
    if (rows.entities.length) {
      const columns = Object.keys(rows.entities[0]);
      const chunk = chunkFor(columns.length);
      for (let i = 0; i < rows.entities.length; i += chunk) {
        await trx('entities')
          .insert(rows.entities.slice(i, i + chunk))
          .onConflict('entity_ref')
          .merge(columns.filter(c => c !== 'entity_ref'));
      }
    }
    await insert('gates', rows.gates);
    await insert('gate_items', rows.items);
    await insert('votes', rows.votes);
    await insert('decisions', rows.decisions);
    const metrics = metricsRowsOf(rows);
    await insert('gate_metrics', metrics);
    // The released gates' items, counted into the outcome loop's roll-up
    // as the plugin counts them.
    await moveItemOutcomes(
      trx,
      metrics.map(row => ({ gateId: row.gate_id, to: contributionOf(row) })),
      rows.items,
    );
    // And into the metrics per team and month.
    await moveTeamMonths(
      trx,
      metrics.map(row => ({ to: row })),
    );
    await insert('evidence', rows.evidence);
    await insert('incidents', rows.incidents);
    await insert('gate_debriefs', rows.debriefs);
    await insert('debrief_follow_ups', rows.followUps);
    await insert('audit_events', rows.audit);
    const heads = headsOf(rows.audit);
    const chunk = chunkFor(4);
    for (let i = 0; i < heads.length; i += chunk) {
      await trx('audit_heads')
        .insert(heads.slice(i, i + chunk))
        .onConflict('chain')
        .merge();
    }
  });
}
