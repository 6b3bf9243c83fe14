import { Evidence } from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { EvidencePosition, EvidenceStore } from './EvidenceStore';
import { toEvidence } from './mappers';
import { EvidenceRow } from './tables';
import { newestEvidenceRank } from './evidenceRank';

/** The row of a fact as posted, with its new id and the time it arrived. */
function toRow(
  e: Omit<Evidence, 'id' | 'receivedAt'>,
  receivedAt: string,
): EvidenceRow {
  return {
    id: randomUUID(),
    entity_ref: e.entityRef,
    release: e.release,
    type: e.type,
    status: e.status,
    metrics: JSON.stringify(e.metrics),
    link: e.link ?? null,
    commit_sha: e.commit ?? null,
    run_id: e.runId,
    observed_at: e.observedAt,
    received_at: receivedAt,
    posted_by: e.postedBy,
  };
}

/**
 * CI evidence in the plugin's database. Posting is idempotent on (entity,
 * release, type, runId), enforced by a unique index, so a CI job that retries
 * after a timeout, against any replica, never stores a fact twice.
 *
 * @internal
 */
export class DatabaseEvidenceStore implements EvidenceStore {
  static create(options: { db: Knex }): DatabaseEvidenceStore {
    return new DatabaseEvidenceStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async addEvidenceMany(options: {
    evidence: Array<Omit<Evidence, 'id' | 'receivedAt'>>;
  }): Promise<Array<{ evidence: Evidence; created: boolean }>> {
    const list = options.evidence;
    if (!list.length) return [];
    const { entityRef, release } = list[0];
    if (list.some(e => e.entityRef !== entityRef || e.release !== release)) {
      throw new Error('addEvidenceMany takes facts of one entity and release');
    }
    const key = (type: string, runId: string) => `${type}\u0000${runId}`;
    const receivedAt = new Date().toISOString();
    const rows = list.map(e => toRow(e, receivedAt));
    // Rows that were inserted come back; a run already stored (or twice
    // in the list) is skipped by the unique index and read afterwards.
    const inserted = (await this.db<EvidenceRow>('evidence')
      .insert(rows)
      .onConflict(['entity_ref', 'release', 'type', 'run_id'])
      .ignore()
      .returning('*')) as EvidenceRow[];
    const insertedIds = new Set(inserted.map(r => r.id));
    const byKey = new Map<string, EvidenceRow>();
    for (const row of inserted) byKey.set(key(row.type, row.run_id), row);
    const missing = list.filter(e => !byKey.has(key(e.type, e.runId)));
    if (missing.length) {
      const found = await this.db<EvidenceRow>('evidence')
        .where({ entity_ref: entityRef, release })
        .whereIn('run_id', [...new Set(missing.map(e => e.runId))]);
      for (const row of found) {
        const k = key(row.type, row.run_id);
        if (!byKey.has(k)) byKey.set(k, row);
      }
    }
    const answered = new Set<string>();
    return list.map((e, n) => {
      const k = key(e.type, e.runId);
      const row = byKey.get(k)!;
      // The first of the list with this run is the one inserted.
      const created =
        insertedIds.has(row.id) && row.id === rows[n].id && !answered.has(k);
      answered.add(k);
      return { evidence: toEvidence(row), created };
    });
  }

  async addEvidence(options: {
    evidence: Omit<Evidence, 'id' | 'receivedAt'>;
  }): Promise<{ evidence: Evidence; created: boolean }> {
    const e = options.evidence;
    const inserted = await this.db<EvidenceRow>('evidence')
      .insert(toRow(e, new Date().toISOString()))
      .onConflict(['entity_ref', 'release', 'type', 'run_id'])
      .ignore()
      .returning('*');
    if (inserted.length === 1) {
      return {
        evidence: toEvidence(inserted[0] as EvidenceRow),
        created: true,
      };
    }
    // A repeat of a run already stored: the first post's row.
    const row = await this.db<EvidenceRow>('evidence')
      .where({
        entity_ref: e.entityRef,
        release: e.release,
        type: e.type,
        run_id: e.runId,
      })
      .first();
    return { evidence: toEvidence(row!), created: false };
  }

  async listNewestEvidence(options: {
    entityRef: string;
    release: string;
    per?: 'status' | 'poster';
  }): Promise<Evidence[]> {
    // Ranked inside the database (evidenceRank.ts), so that a release
    // holding thousands of facts sends a few rows: the evaluation reads
    // only the newest of each type (and the newest passed one).
    const ranked = this.db<EvidenceRow>('evidence')
      .select('*')
      .select(
        this.db.raw(
          `${newestEvidenceRank(options.per ?? 'status')} as newest_rank`,
        ),
      )
      .where({ entity_ref: options.entityRef, release: options.release })
      .as('ranked');
    const rows = await this.db
      .select<Array<EvidenceRow & { newest_rank: number }>>('*')
      .from(ranked)
      .where('newest_rank', 1);
    return rows.map(toEvidence);
  }

  async pageEvidence(options: {
    entityRef: string;
    release: string;
    limit: number;
    after?: EvidencePosition;
  }): Promise<Evidence[]> {
    const query = this.db<EvidenceRow>('evidence')
      .where({ entity_ref: options.entityRef, release: options.release })
      .orderBy('observed_at', 'desc')
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit);
    const after = options.after;
    if (after) {
      // Row values compare in the index's order on both engines; the
      // times as the store writes them (ISO 8601 in UTC).
      query.whereRaw('(observed_at, received_at, id) < (?, ?, ?)', [
        new Date(after.observedAt).toISOString(),
        new Date(after.receivedAt).toISOString(),
        after.id,
      ]);
    }
    return (await query).map(toEvidence);
  }

  async listEvidence(options: {
    entityRef: string;
    release: string;
  }): Promise<Evidence[]> {
    const rows = await this.db<EvidenceRow>('evidence')
      .where({ entity_ref: options.entityRef, release: options.release })
      .orderBy('observed_at', 'desc')
      .orderBy('received_at', 'desc')
      .orderBy('id');
    return rows.map(toEvidence);
  }
}
