/*
 * The metrics row of a gate (`gate_metrics`): what `GET /metrics` counts of
 * it, kept narrow so that the metrics of 200,000 gates are one scan of small
 * rows aggregated by the database.
 *
 * The row is derived, and its sources keep it current in their own
 * transactions:
 * - the gate, its decisions and the incidents of its release: opening a
 *   gate, recording a decision, moving the gate and recording an incident
 *   rewrite it from them. On PostgreSQL each of those transactions first
 *   takes an advisory lock on the entity and release (`lockRelease`), so
 *   that an incident and a gate of the same release never miss each other;
 *   SQLite runs one writer at a time anyway;
 * - the owner and system of its entity, copied from the entity index by the
 *   transactions that write the index, so that grouping by team or system
 *   needs no join. On PostgreSQL a rewrite reads the entity's index row with
 *   a share lock and a copy locks the metrics rows it changes, so that the
 *   two take turns. A gate of an entity that is being indexed for the first
 *   time on another replica may keep no owner until the next refresh of the
 *   index copies it: each copy compares every row it covers.
 * - what the gate adds to the outcome loop's roll-up (its template, month of
 *   release and whether an incident followed it): whoever rewrites the row
 *   moves the gate's contribution in `item_outcome_rollup` in the same
 *   transaction (itemOutcomes.ts);
 * - what the gate adds to the metrics per team and month
 *   (`gate_metrics_team_months`, which answers the metrics by team): moved
 *   the same way, by the same writers (teamMonths.ts).
 * Cancelled gates have no row.
 */
import { Knex } from 'knex';
import { isPostgres, lockForTransaction } from './dialect';
import {
  ContributionFacts,
  contributionOf,
  ContributionMove,
  IncidentFacts,
  incidentFollowedRelease,
  moveItemOutcomes,
} from './itemOutcomes';
import { toIso } from './mappers';
import { DecisionRow, EntityRow, GateRow, Timestamp } from './tables';
import { moveTeamMonths, TEAM_MONTH_FACTS, TeamMonthFacts } from './teamMonths';

/**
 * A row of `gate_metrics`: what the metrics count of one gate.
 *
 * @public
 */
export interface GateMetricsRow {
  gate_id: string;
  entity_ref: string;
  release: string;
  owner_ref: string | null;
  system_ref: string | null;
  tier: number;
  opened_at: Timestamp;
  month: string;
  quarter: string;
  released: boolean;
  go_count: number;
  no_go_count: number;
  blocker_sum: number;
  blocker_count: number;
  lead_ms: number | null;
  incidents: number;
  template_name: string;
  /** YYYY-MM of the release in UTC; null if never released. */
  released_month: string | null;
  /** A sev1–2 incident of the release came within the window after it. */
  incident_after_release: boolean;
}

/** The period of an ISO time: `2026-11` or `2026-Q4`. */
export function periodOf(iso: string, period: 'month' | 'quarter'): string {
  const [year, month] = iso.slice(0, 7).split('-').map(Number);
  return period === 'month'
    ? `${year}-${String(month).padStart(2, '0')}`
    : `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** Gates per statement: well under SQLite's limit on bound parameters. */
const CHUNK = 500;

/**
 * What the metrics read of a gate row.
 *
 * @public
 */
export interface GateFacts {
  id: string;
  entity_ref: string;
  release: string;
  tier: number;
  state: string;
  opened_at: Timestamp;
  template_name: string;
  released_at?: Timestamp | null;
}

/**
 * What the metrics read of an entity's index row.
 *
 * @public
 */
export interface EntityOwnership {
  owner_ref?: string | null;
  system_ref?: string | null;
}

/**
 * What the metrics read of a decision row.
 *
 * @public
 */
export interface DecisionFacts {
  verdict: string;
  at: Timestamp;
  blocker_count?: number | null;
}

/**
 * The metrics row of one gate, from its row, its decisions, its entity's
 * index row (none when the entity is not indexed) and the incidents
 * recorded for its entity and release; undefined for a cancelled gate. An
 * incident reported before the release had a gate (`ungated`) is not
 * counted against it, but does count for the outcome loop if it followed
 * the release. For writers of the plugin's tables other than the plugin
 * itself, such as the history generator.
 *
 * @public
 */
export function gateMetricsRow(
  gate: GateFacts,
  decisions: DecisionFacts[],
  entity?: EntityOwnership,
  incidents: IncidentFacts[] = [],
): GateMetricsRow | undefined {
  if (gate.state === 'cancelled') return undefined;
  const openedAt = toIso(gate.opened_at);
  let firstGo: number | undefined;
  let go = 0;
  let blockerSum = 0;
  let blockerCount = 0;
  for (const d of decisions) {
    if (d.verdict === 'go') {
      go += 1;
      const at = new Date(toIso(d.at)).getTime();
      if (firstGo === undefined || at < firstGo) firstGo = at;
    }
    if (d.blocker_count !== null && d.blocker_count !== undefined) {
      blockerSum += Number(d.blocker_count);
      blockerCount += 1;
    }
  }
  return {
    gate_id: gate.id,
    entity_ref: gate.entity_ref,
    release: gate.release,
    owner_ref: entity?.owner_ref ?? null,
    system_ref: entity?.system_ref ?? null,
    tier: Number(gate.tier),
    opened_at: openedAt,
    month: periodOf(openedAt, 'month'),
    quarter: periodOf(openedAt, 'quarter'),
    released: gate.state === 'released' || gate.state === 'rolled-back',
    go_count: go,
    no_go_count: decisions.length - go,
    blocker_sum: blockerSum,
    blocker_count: blockerCount,
    lead_ms:
      firstGo === undefined ? null : firstGo - new Date(openedAt).getTime(),
    incidents: incidents.filter(i => !Number(i.ungated ?? 0)).length,
    template_name: gate.template_name,
    released_month: gate.released_at
      ? toIso(gate.released_at).slice(0, 7)
      : null,
    incident_after_release: incidentFollowedRelease(
      gate.released_at,
      incidents,
    ),
  };
}

const releaseKey = (entityRef: unknown, release: unknown) =>
  `${entityRef}\u0000${release}`;

/**
 * Takes, on PostgreSQL, the transaction's advisory lock on an entity's
 * release: the writers of a gate's metrics row take it before they read
 * what the row is made of.
 */
export async function lockRelease(
  trx: Knex.Transaction,
  entityRef: string,
  release: string,
): Promise<void> {
  await lockForTransaction(
    trx,
    `release-readiness:release:${JSON.stringify([entityRef, release])}`,
  );
}

/**
 * Rewrites the metrics rows of the gates of an entity's release, after an
 * incident of it was recorded in the same transaction (which holds the
 * release's lock).
 */
export async function refreshReleaseMetrics(
  trx: Knex.Transaction,
  entityRef: string,
  release: string,
): Promise<void> {
  const ids = await trx<GateRow>('gates')
    .where({ entity_ref: entityRef, release })
    .pluck('id');
  await refreshGateMetrics(trx, ids);
}

/**
 * Rewrites the metrics rows of the given gates from the gates, their
 * decisions, their entities' index rows and the incidents of their
 * releases, and moves what changed of their contributions to the outcome
 * loop's roll-up. Run it in the transaction that changed them, after
 * `lockRelease`.
 */
export async function refreshGateMetrics(
  db: Knex | Knex.Transaction,
  gateIds: string[],
): Promise<void> {
  for (let i = 0; i < gateIds.length; i += CHUNK) {
    const ids = gateIds.slice(i, i + CHUNK);
    const gates: GateFacts[] = await db<GateRow>('gates')
      .whereIn('id', ids)
      .select(
        'id',
        'entity_ref',
        'release',
        'tier',
        'state',
        'opened_at',
        'template_name',
        'released_at',
      );
    const decisions = await db<DecisionRow>('decisions')
      .whereIn('gate_id', ids)
      .select('gate_id', 'verdict', 'at', 'blocker_count');
    const entityRefs = [...new Set(gates.map(g => g.entity_ref))];
    // Shared on PostgreSQL, so that a change of the owner in the index waits
    // for this transaction, or this one for it, before either moves the
    // gates' contributions (see copyEntityOwnership).
    const entities: Pick<
      EntityRow,
      'entity_ref' | 'owner_ref' | 'system_ref'
    >[] = await db<EntityRow>('entities')
      .whereIn('entity_ref', entityRefs)
      .select('entity_ref', 'owner_ref', 'system_ref')
      .modify(qb => {
        if (isPostgres(db)) qb.forShare();
      });
    const entityOf = new Map(entities.map(e => [e.entity_ref, e]));
    const incidents: (IncidentFacts & {
      entity_ref: string;
      release: string;
    })[] = await db('incidents')
      .whereIn('entity_ref', entityRefs)
      .whereIn('release', [...new Set(gates.map(g => g.release))])
      .select('entity_ref', 'release', 'severity', 'occurred_at', 'ungated');
    const incidentsOf = new Map<string, IncidentFacts[]>();
    for (const incident of incidents) {
      const key = releaseKey(incident.entity_ref, incident.release);
      incidentsOf.set(key, [...(incidentsOf.get(key) ?? []), incident]);
    }
    const decisionsOf = new Map<string, DecisionFacts[]>();
    for (const d of decisions) {
      const list = decisionsOf.get(d.gate_id) ?? [];
      list.push(d);
      decisionsOf.set(d.gate_id, list);
    }
    const rows = gates
      .map(g =>
        gateMetricsRow(
          g,
          decisionsOf.get(g.id) ?? [],
          entityOf.get(g.entity_ref),
          incidentsOf.get(releaseKey(g.entity_ref, g.release)) ?? [],
        ),
      )
      .filter((row): row is GateMetricsRow => row !== undefined);
    const before: (ContributionFacts & TeamMonthFacts & { gate_id: string })[] =
      await db('gate_metrics')
        .whereIn('gate_id', ids)
        .select(
          'gate_id',
          'template_name',
          'released_month',
          'incident_after_release',
          ...TEAM_MONTH_FACTS,
        );
    await db('gate_metrics').whereIn('gate_id', ids).delete();
    if (rows.length) await db<GateMetricsRow>('gate_metrics').insert(rows);
    const beforeOf = new Map(before.map(row => [row.gate_id, row]));
    const afterOf = new Map(rows.map(row => [row.gate_id, row]));
    await moveItemOutcomes(
      db,
      ids.map(id => ({
        gateId: id,
        from: contributionOf(beforeOf.get(id)),
        to: contributionOf(afterOf.get(id)),
      })),
    );
    await moveTeamMonths(
      db,
      ids.map(id => ({ from: beforeOf.get(id), to: afterOf.get(id) })),
    );
  }
}

/**
 * Copies the owner and system of the given entities from the entity index
 * onto their gates' metrics rows, where they differ, and moves the released
 * gates' contributions to the outcome loop's roll-up to the new owner; an
 * entity no longer indexed has neither. Run it in the transaction that
 * wrote the index rows.
 */
export async function copyEntityOwnership(
  db: Knex | Knex.Transaction,
  entityRefs: string[],
): Promise<void> {
  // Entity refs are never empty strings, so '' stands for "none" here.
  const differs = (column: 'owner_ref' | 'system_ref') =>
    db.raw(`COALESCE(??, '') <> COALESCE(??, '')`, [
      `m.${column}`,
      `e.${column}`,
    ]);
  for (let i = 0; i < entityRefs.length; i += CHUNK) {
    // Locked on PostgreSQL: a rewrite of one of these rows waits for this
    // transaction, and reads the owner this one wrote (refreshGateMetrics).
    const stale: (ContributionFacts &
      TeamMonthFacts & {
        gate_id: string;
        system_ref: string | null;
        owner_now: string | null;
        system_now: string | null;
      })[] = await db('gate_metrics as m')
      .leftJoin('entities as e', 'e.entity_ref', 'm.entity_ref')
      .whereIn('m.entity_ref', entityRefs.slice(i, i + CHUNK))
      .where(q => q.where(differs('owner_ref')).orWhere(differs('system_ref')))
      .select(
        'm.gate_id',
        'm.system_ref',
        'm.template_name',
        'm.released_month',
        'm.incident_after_release',
        ...TEAM_MONTH_FACTS.map(column => `m.${column}`),
        { owner_now: 'e.owner_ref', system_now: 'e.system_ref' },
      )
      .modify(qb => {
        if (isPostgres(db)) qb.forUpdate('m');
      });
    if (!stale.length) continue;
    const moves: ContributionMove[] = stale.map(row => ({
      gateId: row.gate_id,
      from: contributionOf(row),
      to: contributionOf({ ...row, owner_ref: row.owner_now }),
    }));
    await moveItemOutcomes(db, moves);
    await moveTeamMonths(
      db,
      stale.map(row => ({
        from: row,
        to: { ...row, owner_ref: row.owner_now },
      })),
    );
    const byOwnership = new Map<string, typeof stale>();
    for (const row of stale) {
      const key = JSON.stringify([row.owner_now, row.system_now]);
      byOwnership.set(key, [...(byOwnership.get(key) ?? []), row]);
    }
    for (const rows of byOwnership.values()) {
      const ids = rows.map(row => row.gate_id);
      for (let j = 0; j < ids.length; j += CHUNK) {
        await db('gate_metrics')
          .whereIn('gate_id', ids.slice(j, j + CHUNK))
          .update({
            owner_ref: rows[0].owner_now ?? null,
            system_ref: rows[0].system_now ?? null,
          });
      }
    }
  }
}
