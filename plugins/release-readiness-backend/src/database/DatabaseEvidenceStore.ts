import { Evidence } from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { EvidenceStore } from './EvidenceStore';
import { toEvidence } from './mappers';
import { EvidenceRow } from './tables';

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

  async addEvidence(options: {
    evidence: Omit<Evidence, 'id' | 'receivedAt'>;
  }): Promise<{ evidence: Evidence; created: boolean }> {
    const e = options.evidence;
    const id = randomUUID();
    const inserted = await this.db<EvidenceRow>('evidence')
      .insert({
        id,
        entity_ref: e.entityRef,
        release: e.release,
        type: e.type,
        status: e.status,
        metrics: JSON.stringify(e.metrics),
        link: e.link ?? null,
        commit_sha: e.commit ?? null,
        run_id: e.runId,
        observed_at: e.observedAt,
        received_at: new Date().toISOString(),
        posted_by: e.postedBy,
      })
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
