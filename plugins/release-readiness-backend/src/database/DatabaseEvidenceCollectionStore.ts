/*
 * The last attempt of each evidence provider per entity and release
 * (`evidence_collections`, issue 19), and the open gates the scheduled
 * collection visits.
 */
import { Knex } from 'knex';
import { OPEN_STATES } from './portfolio';

/** What an evidence provider's last attempt for a release came to. */
export interface CollectionAttempt {
  providerId: string;
  at: string;
  trigger: 'gate-opened' | 'schedule' | 'refresh';
  ok: boolean;
  message?: string;
  collected: number;
}

interface CollectionRow {
  entity_ref: string;
  release: string;
  provider_id: string;
  attempted_at: string | Date;
  trigger: CollectionAttempt['trigger'];
  ok: boolean | number;
  message: string | null;
  collected: number;
}

/** @internal */
export class DatabaseEvidenceCollectionStore {
  static create(options: { db: Knex }): DatabaseEvidenceCollectionStore {
    return new DatabaseEvidenceCollectionStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  /** Keeps `attempt` as the provider's last for the release. */
  async recordAttempt(
    entityRef: string,
    release: string,
    attempt: CollectionAttempt,
  ): Promise<void> {
    await this.db<CollectionRow>('evidence_collections')
      .insert({
        entity_ref: entityRef,
        release,
        provider_id: attempt.providerId,
        attempted_at: attempt.at,
        trigger: attempt.trigger,
        ok: attempt.ok,
        message: attempt.message ?? null,
        collected: attempt.collected,
      })
      .onConflict(['entity_ref', 'release', 'provider_id'])
      .merge();
  }

  /** The last attempt of each provider for the release. */
  async listAttempts(
    entityRef: string,
    release: string,
  ): Promise<CollectionAttempt[]> {
    const rows = await this.db<CollectionRow>('evidence_collections')
      .where({ entity_ref: entityRef, release })
      .orderBy('provider_id');
    return rows.map(row => ({
      providerId: row.provider_id,
      at: new Date(row.attempted_at).toISOString(),
      trigger: row.trigger,
      ok: Boolean(row.ok),
      ...(row.message ? { message: row.message } : {}),
      collected: Number(row.collected),
    }));
  }

  /**
   * The entities whose current gate is open, with its release, in pages
   * ordered by entity ref (`after` is the last ref of the previous page).
   */
  async listOpenGates(options: {
    after?: string;
    limit: number;
  }): Promise<Array<{ entityRef: string; release: string }>> {
    const rows: Array<{ entity_ref: string; current_release: string }> =
      await this.db('entities')
        .whereIn('current_state', OPEN_STATES)
        .whereNotNull('current_release')
        .modify(q => {
          if (options.after) q.where('entity_ref', '>', options.after);
        })
        .orderBy('entity_ref')
        .limit(options.limit)
        .select('entity_ref', 'current_release');
    return rows.map(r => ({
      entityRef: r.entity_ref,
      release: r.current_release,
    }));
  }
}
