/*
 * What the quarterly template review (issue 18) reads besides the outcome
 * table: the monthly lead time and blockers of the template's gates, and the
 * "what to change" of their debriefs, over the entities the caller may read.
 */
import { Knex } from 'knex';
import { applyFilters, PortfolioAccess } from './portfolio';

/** One month of a template's gates. */
export interface TemplateTrendRow {
  month: string;
  gates: number;
  /** Mean hours from opening to the first GO, of the gates that had one. */
  leadTimeHours: number | null;
  /** Blockers per gate at its decisions. */
  blockersPerGate: number | null;
}

/** A debrief's "what to change" of a gate of the template. */
export interface DebriefTheme {
  entityRef: string;
  release: string;
  toChange: string;
}

/** The most debrief themes one review lists. */
export const REVIEW_MAX_THEMES = 50;

export async function readTemplateReviewData(
  db: Knex,
  access: PortfolioAccess,
  query: { template: string; from: string; to: string },
): Promise<{ trend: TemplateTrendRow[]; themes: DebriefTheme[] }> {
  const visible = db('entities')
    .select('entity_ref')
    .modify(qb => applyFilters(db, qb, {}, access));
  const [trend, themes] = await Promise.all([
    db('gate_metrics as m')
      .join('gates as g', 'g.id', 'm.gate_id')
      .whereIn('g.entity_ref', visible)
      .where('g.template_name', query.template)
      .where('m.opened_at', '>=', query.from)
      .where('m.opened_at', '<', query.to)
      .groupBy('m.month')
      .orderBy('m.month')
      .select({ month: 'm.month' })
      .count({ gates: '*' })
      .avg({ lead_ms: 'm.lead_ms' })
      .sum({ blocker_sum: 'm.blocker_sum', blocker_count: 'm.blocker_count' }),
    db('gate_debriefs as d')
      .join('gates as g', 'g.id', 'd.gate_id')
      .whereIn('g.entity_ref', visible)
      .where('g.template_name', query.template)
      .where('d.recorded_at', '>=', query.from)
      .where('d.recorded_at', '<', query.to)
      .whereNot('d.to_change', '')
      .orderBy('d.recorded_at', 'desc')
      .limit(REVIEW_MAX_THEMES)
      .select('d.entity_ref', 'd.release', 'd.to_change'),
  ]);
  return {
    trend: (trend as any[]).map(r => ({
      month: r.month,
      gates: Number(r.gates),
      leadTimeHours:
        r.lead_ms === null || r.lead_ms === undefined
          ? null
          : Math.round((Number(r.lead_ms) / 3_600_000) * 10) / 10,
      blockersPerGate: Number(r.blocker_count)
        ? Math.round((Number(r.blocker_sum) / Number(r.blocker_count)) * 100) /
          100
        : null,
    })),
    themes: (themes as any[]).map(r => ({
      entityRef: r.entity_ref,
      release: r.release,
      toChange: r.to_change,
    })),
  };
}
