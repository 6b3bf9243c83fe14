import { ConflictError } from '@backstage/errors';
import { Incident, ReleaseWindow } from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { toIso } from './mappers';
import { lockRelease, refreshReleaseMetrics } from './gateMetrics';

interface WindowRow {
  id: string;
  definition: string;
  created_by: string;
  created_at: Date | string;
}

interface IncidentRow {
  id: string;
  entity_ref: string;
  release: string;
  severity: string;
  title: string;
  link: string | null;
  occurred_at: Date | string;
  reported_by: string;
  reported_at: Date | string;
}

/** Release windows created through the API, and post-release incidents. */
export interface WindowStore {
  listWindows(): Promise<ReleaseWindow[]>;
  createWindow(options: {
    window: Omit<ReleaseWindow, 'source'>;
    actor: string;
  }): Promise<ReleaseWindow>;
  addIncident(options: { incident: Omit<Incident, 'id'> }): Promise<Incident>;
  listIncidents(options: {
    entityRef: string;
    release?: string;
  }): Promise<Incident[]>;
  /** Records a reminder as sent; false when some replica sent it already. */
  claimNotification(options: { key: string }): Promise<boolean>;
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    release: row.release,
    severity: row.severity as Incident['severity'],
    title: row.title,
    ...(row.link ? { link: row.link } : {}),
    occurredAt: toIso(row.occurred_at),
    reportedBy: row.reported_by,
  };
}

/** @internal */
export class DatabaseWindowStore implements WindowStore {
  static create(options: { db: Knex }): DatabaseWindowStore {
    return new DatabaseWindowStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async listWindows(): Promise<ReleaseWindow[]> {
    const rows = await this.db<WindowRow>('release_windows').orderBy('id');
    return rows.map(row => ({
      ...JSON.parse(row.definition),
      source: 'api' as const,
    }));
  }

  async createWindow(options: {
    window: Omit<ReleaseWindow, 'source'>;
    actor: string;
  }): Promise<ReleaseWindow> {
    const existing = await this.db<WindowRow>('release_windows')
      .where({ id: options.window.id })
      .first();
    if (existing) {
      throw new ConflictError(
        `A release window with id ${options.window.id} exists already`,
      );
    }
    await this.db<WindowRow>('release_windows').insert({
      id: options.window.id,
      definition: JSON.stringify(options.window),
      created_by: options.actor,
      created_at: new Date().toISOString(),
    });
    return { ...options.window, source: 'api' };
  }

  async addIncident(options: {
    incident: Omit<Incident, 'id'>;
  }): Promise<Incident> {
    const i = options.incident;
    const row: IncidentRow = {
      id: randomUUID(),
      entity_ref: i.entityRef,
      release: i.release,
      severity: i.severity,
      title: i.title,
      link: i.link ?? null,
      occurred_at: i.occurredAt,
      reported_by: i.reportedBy,
      reported_at: new Date().toISOString(),
    };
    await this.db.transaction(async trx => {
      await lockRelease(trx, row.entity_ref, row.release);
      await trx<IncidentRow>('incidents').insert(row);
      await refreshReleaseMetrics(trx, row.entity_ref, row.release);
    });
    return toIncident(row);
  }

  async listIncidents(options: {
    entityRef: string;
    release?: string;
  }): Promise<Incident[]> {
    const rows = await this.db<IncidentRow>('incidents')
      .where({ entity_ref: options.entityRef })
      .modify(q => {
        if (options.release) q.where({ release: options.release });
      })
      .orderBy('occurred_at');
    return rows.map(toIncident);
  }

  async claimNotification(options: { key: string }): Promise<boolean> {
    const inserted = await this.db('notifications_sent')
      .insert({ key: options.key, sent_at: new Date().toISOString() })
      .onConflict('key')
      .ignore()
      .returning('key');
    return inserted.length === 1;
  }
}
