/*
 * `GET /insights/items` (issue 18): for each checklist item of the released
 * gates the caller may read, how many releases it was passed, waived, not
 * applicable or failed-then-fixed in, and how many of those releases had a
 * sev1–2 incident within the window after the release. One aggregate query
 * (grouped by template, item and outcome), whatever the number of gates;
 * the statistics then run on those counts (statistics.ts).
 */
import { InputError } from '@backstage/errors';
import {
  ItemInsightsResponse,
  ItemOutcome,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { isPostgres } from './dialect';
import { applyFilters, PortfolioAccess, timeRange } from './portfolio';
import {
  compareInsights,
  itemFinding,
  OutcomeCount,
} from '../insights/statistics';

/** Days after a release within which an incident counts against it. */
export const INSIGHTS_WINDOW_DAYS = 14;
/** Releases needed on each side of a comparison before anything is said. */
export const INSIGHTS_MIN_SAMPLE = 10;
/** The period when none is asked for: the last 180 days. */
export const INSIGHTS_DEFAULT_DAYS = 180;

export interface InsightsStoreQuery {
  template?: string;
  /** A group ref, lower case. */
  owner?: string;
  from?: string;
  to?: string;
  offset?: number;
  limit?: number;
  now?: Date;
}

/** The end of the incident window after `column`, in the engine's words. */
function windowEnd(db: Knex, column: string, days: number): Knex.Raw {
  return isPostgres(db)
    ? db.raw(`${column} + (? * interval '1 day')`, [days])
    : db.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, ?)`, [`+${days} days`]);
}

/** The item's title and whether evidence checks it, from its definition. */
function itemOf(
  definition: string | null,
  itemId: string,
): { title: string; automated: boolean } {
  try {
    const parsed = JSON.parse(definition ?? '{}') as {
      title?: string;
      automated?: unknown;
    };
    return {
      title: parsed.title ?? itemId,
      automated: Boolean(parsed.automated),
    };
  } catch {
    return { title: itemId, automated: false };
  }
}

/** The items of the released gates, with their outcomes; see the top. */
export async function queryItemInsights(
  db: Knex,
  access: PortfolioAccess,
  query: InsightsStoreQuery = {},
): Promise<ItemInsightsResponse> {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  if (limit < 1 || limit > 200) {
    throw new InputError('limit: must be between 1 and 200');
  }
  const now = query.now ?? new Date();
  const range = timeRange(
    'from',
    query.from ??
      new Date(
        now.getTime() - INSIGHTS_DEFAULT_DAYS * 86_400_000,
      ).toISOString(),
    'to',
    query.to ?? now.toISOString(),
  );
  const visible = db('entities')
    .select('entity_ref')
    .modify(qb =>
      applyFilters(db, qb, query.owner ? { owner: query.owner } : {}, access),
    );
  // The released gates of the period, each with whether a sev1–2 incident
  // of its release occurred within the window after it was released.
  const released = db('gates as g')
    .whereIn('g.entity_ref', visible)
    .whereNotNull('g.released_at')
    .where('g.released_at', '>=', range.from!)
    .where('g.released_at', '<', range.to!)
    .modify(qb => {
      if (query.template) qb.where('g.template_name', query.template);
    })
    .select(
      'g.id',
      'g.template_name',
      db.raw(
        `CASE WHEN EXISTS (SELECT 1 FROM incidents i WHERE i.entity_ref = g.entity_ref AND i.release = g.release AND i.severity IN ('sev1', 'sev2') AND i.occurred_at >= g.released_at AND i.occurred_at < ${windowEnd(
          db,
          'g.released_at',
          INSIGHTS_WINDOW_DAYS,
        ).toQuery()}) THEN 1 ELSE 0 END AS bad`,
      ),
    )
    .as('r');
  const everFailed = isPostgres(db) ? 'gi.ever_failed' : 'gi.ever_failed = 1';
  const outcome = `CASE WHEN gi.status = 'waived' THEN 'waived' WHEN gi.status = 'not-applicable' THEN 'not-applicable' WHEN ${everFailed} THEN 'failed-then-fixed' ELSE 'passed' END`;
  const rows: Array<{
    template_name: string;
    item_id: string;
    outcome: ItemOutcome;
    releases: number | string;
    incidents: number | string | null;
    definition: string | null;
  }> = await db
    .from(released)
    .join('gate_items as gi', 'gi.gate_id', 'r.id')
    .groupBy('r.template_name', 'gi.item_id', 'outcome')
    .select('r.template_name', 'gi.item_id', db.raw(`${outcome} AS outcome`))
    .count({ releases: '*' })
    .sum({ incidents: 'r.bad' })
    .min({ definition: 'gi.definition' });

  const byItem = new Map<
    string,
    {
      template: string;
      itemId: string;
      title: string;
      automated: boolean;
      counts: OutcomeCount[];
    }
  >();
  for (const row of rows) {
    const key = `${row.template_name}\u0000${row.item_id}`;
    const item = byItem.get(key) ?? {
      template: row.template_name,
      itemId: row.item_id,
      ...itemOf(row.definition, row.item_id),
      counts: [],
    };
    item.counts.push({
      outcome: row.outcome,
      releases: Number(row.releases),
      incidents: Number(row.incidents ?? 0),
    });
    byItem.set(key, item);
  }
  const options = {
    minSample: INSIGHTS_MIN_SAMPLE,
    windowDays: INSIGHTS_WINDOW_DAYS,
  };
  const all = [...byItem.values()]
    .map(({ counts, ...item }) => itemFinding(item, counts, options))
    .sort(compareInsights);
  return {
    from: range.from!,
    to: range.to!,
    windowDays: INSIGHTS_WINDOW_DAYS,
    minSample: INSIGHTS_MIN_SAMPLE,
    items: all.slice(offset, offset + limit),
    totalItems: all.length,
    offset,
    limit,
  };
}
