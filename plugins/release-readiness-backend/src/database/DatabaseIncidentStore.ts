import { Incident } from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { lockRelease, refreshReleaseMetrics } from './gateMetrics';
import { IncidentStore } from './IncidentStore';
import { toIncident } from './mappers';
import { GateRow, IncidentRow } from './tables';

/** @internal */
export class DatabaseIncidentStore implements IncidentStore {
  static create(options: { db: Knex }): DatabaseIncidentStore {
    return new DatabaseIncidentStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async addIncident(options: {
    incident: Omit<Incident, 'id' | 'ungated'>;
  }): Promise<Incident> {
    const i = options.incident;
    const row: Omit<IncidentRow, 'ungated'> = {
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
    // Under the release's lock, so that a gate of the release opened at the
    // same moment counts this incident either way (see `gateMetrics.ts`).
    // Whether the release had a gate is decided under the same lock: a gate
    // opened at the same moment is either seen here or counts this incident.
    const stored = await this.db.transaction(async trx => {
      await lockRelease(trx, row.entity_ref, row.release);
      const gate = await trx<GateRow>('gates')
        .where({ entity_ref: row.entity_ref, release: row.release })
        .whereNot('state', 'cancelled')
        .first('id');
      const complete: IncidentRow = { ...row, ungated: !gate };
      await trx<IncidentRow>('incidents').insert(complete);
      await refreshReleaseMetrics(trx, row.entity_ref, row.release);
      return complete;
    });
    return toIncident(stored);
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
}
