import { Incident } from '@release-readiness/plugin-common';
import {
  ExternalIncident,
  ExternalIncidentOutcome,
} from '@release-readiness/plugin-node';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { isUniqueViolation } from './dialect';
import { lockRelease, refreshReleaseMetrics } from './gateMetrics';
import { IncidentStore } from './IncidentStore';
import { toIncident } from './mappers';
import { GateRow, IncidentRow } from './tables';

/** The days after a release an incident is linked to it, by default. */
export const DEFAULT_INCIDENT_LINK_WINDOW_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

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

  async recordExternalIncident(options: {
    source: { id: string; title: string };
    incident: ExternalIncident;
  }): Promise<ExternalIncidentOutcome> {
    try {
      return await this.recordExternalOnce(options);
    } catch (error) {
      // Two reports of a new incident at once on different releases' locks
      // (or SQLite's): the loser finds the winner's row on a second try.
      if (!isUniqueViolation(error)) throw error;
      return await this.recordExternalOnce(options);
    }
  }

  private async recordExternalOnce(options: {
    source: { id: string; title: string };
    incident: ExternalIncident;
  }): Promise<ExternalIncidentOutcome> {
    const { source, incident: i } = options;
    const occurredAt = new Date(i.occurredAt);
    const windowDays = i.linkWindowDays ?? DEFAULT_INCIDENT_LINK_WINDOW_DAYS;
    const existing = await this.db<IncidentRow>('incidents')
      .where({
        source: source.id,
        external_id: i.externalId,
        entity_ref: i.entityRef,
      })
      .first();
    // An incident already stored stays on its release: an update changes
    // what it says, never where it counts.
    let release = existing?.release ?? i.release?.trim();
    if (!release) {
      const since = new Date(occurredAt.getTime() - windowDays * DAY_MS);
      const gate = await this.db<GateRow>('gates')
        .where({ entity_ref: i.entityRef })
        // Released, and possibly rolled back since: the incident followed it.
        .whereNotNull('released_at')
        .where('released_at', '<=', occurredAt.toISOString())
        .where('released_at', '>=', since.toISOString())
        .orderBy('released_at', 'desc')
        .first('release');
      if (!gate) {
        return {
          outcome: 'unlinked',
          reason: `${
            i.entityRef
          } has no release marked released in the ${windowDays} days before ${occurredAt.toISOString()}`,
        };
      }
      release = gate.release;
    }
    const linkedRelease = release;
    return this.db.transaction(async trx => {
      await lockRelease(trx, i.entityRef, linkedRelease);
      const stored = await trx<IncidentRow>('incidents')
        .where({
          source: source.id,
          external_id: i.externalId,
          entity_ref: i.entityRef,
        })
        .first();
      const says = {
        severity: i.severity,
        title: i.title,
        link: i.link ?? null,
      };
      if (stored) {
        if (
          stored.severity === says.severity &&
          stored.title === says.title &&
          (stored.link ?? null) === says.link
        ) {
          return {
            outcome: 'unchanged' as const,
            incidentId: stored.id,
            release: stored.release,
          };
        }
        await trx<IncidentRow>('incidents')
          .where({ id: stored.id })
          .update({ ...says, source_title: source.title });
        await refreshReleaseMetrics(trx, stored.entity_ref, stored.release);
        return {
          outcome: 'updated' as const,
          incidentId: stored.id,
          release: stored.release,
        };
      }
      const gate = await trx<GateRow>('gates')
        .where({ entity_ref: i.entityRef, release: linkedRelease })
        .whereNot('state', 'cancelled')
        .first('id');
      const row: IncidentRow = {
        id: randomUUID(),
        entity_ref: i.entityRef,
        release: linkedRelease,
        ...says,
        occurred_at: occurredAt.toISOString(),
        reported_by: `incident-source:${source.id}`,
        reported_at: new Date().toISOString(),
        ungated: !gate,
        source: source.id,
        source_title: source.title,
        external_id: i.externalId,
      };
      await trx<IncidentRow>('incidents').insert(row);
      await refreshReleaseMetrics(trx, row.entity_ref, row.release);
      return {
        outcome: 'created' as const,
        incidentId: row.id,
        release: row.release,
      };
    });
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
      // The order a gate's read lists them in (gateRows.ts).
      .orderBy('occurred_at')
      .orderBy('id');
    return rows.map(toIncident);
  }
}
