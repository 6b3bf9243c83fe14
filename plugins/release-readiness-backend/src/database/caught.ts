/*
 * "Caught before production": the NO-GO decisions the caller may read,
 * newest first, a page at a time. The count and the page keep to the same
 * filters, so the number shown above the list is the list's own total.
 * Five queries, whatever the size: the count, the page, and the votes,
 * failed checks and later GO decisions of the page's gates.
 */
import { InputError } from '@backstage/errors';
import {
  CaughtRelease,
  CaughtResponse,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { toIso } from './mappers';
import {
  applyFilters,
  PortfolioAccess,
  PortfolioStoreQuery,
  timeRange,
} from './portfolio';

/**
 * `GET /portfolio/caught`'s query as the store takes it: the route has
 * lower-cased the refs and read the page as numbers.
 */
export interface CaughtStoreQuery {
  /**
   * The portfolio's own filters: the list holds the NO-GO decisions of the
   * entities the portfolio table keeps under them (see applyFilters).
   */
  owner?: string;
  system?: string;
  tier?: number;
  state?: PortfolioStoreQuery['state'];
  verdict?: PortfolioStoreQuery['verdict'];
  q?: string;
  from?: string;
  to?: string;
  offset?: number;
  limit?: number;
}

/** The page size when none is asked for. */
export const CAUGHT_DEFAULT_LIMIT = 50;

/** A page of the NO-GO decisions with who caught them, and their total. */
export async function queryCaught(
  db: Knex,
  access: PortfolioAccess,
  query: CaughtStoreQuery = {},
): Promise<CaughtResponse> {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? CAUGHT_DEFAULT_LIMIT;
  if (limit < 1 || limit > 200) {
    throw new InputError('limit: must be between 1 and 200');
  }
  const range = timeRange('from', query.from, 'to', query.to);
  const { owner, system, tier, state, verdict, q } = query;
  const entityFilter = db('entities')
    .select('entity_ref')
    .modify(qb =>
      applyFilters(
        db,
        qb,
        {
          ...(owner ? { owner } : {}),
          ...(system ? { system } : {}),
          ...(tier !== undefined ? { tier } : {}),
          ...(state ? { state } : {}),
          ...(verdict ? { verdict } : {}),
          ...(q ? { q } : {}),
        },
        { type: 'all' },
      ),
    );
  const noGoDecisions = () =>
    db('decisions as d')
      .join('gates as g', 'g.id', 'd.gate_id')
      .join('entities', 'entities.entity_ref', 'g.entity_ref')
      .modify(qb => applyFilters(db, qb, {}, access))
      // The portfolio's filters, by the portfolio's own function: the
      // entities it keeps, as a subquery (its columns are unqualified).
      .whereIn('g.entity_ref', entityFilter)
      .modify(qb => {
        if (range.from) qb.where('d.at', '>=', range.from);
        if (range.to) qb.where('d.at', '<', range.to);
      })
      .where('d.verdict', 'no-go');
  const [[{ n }], page] = await Promise.all([
    noGoDecisions().count({ n: '*' }),
    noGoDecisions()
      .orderBy('d.at', 'desc')
      .orderBy('d.id', 'desc')
      .offset(offset)
      .limit(limit)
      .select(
        'd.gate_id',
        'd.at',
        'd.decided_by',
        'd.reason',
        'g.entity_ref',
        'g.release',
        'g.state',
        'entities.title',
      ),
  ]);
  return {
    items: await withWhoCaughtThem(db, page as any[]),
    totalItems: Number(n),
    offset,
    limit,
  };
}

/**
 * The decisions with the people whose Not-ready votes or failed checks came
 * before each, and whether the release later went GO.
 */
async function withWhoCaughtThem(
  db: Knex,
  decisions: any[],
): Promise<CaughtRelease[]> {
  if (!decisions.length) return [];
  const gateIds = [...new Set(decisions.map(d => d.gate_id as string))];
  const [votes, failures, goes] = await Promise.all([
    db('votes')
      .whereIn('gate_id', gateIds)
      .where('verdict', 'not-ready')
      .select('gate_id', 'voter', 'role', 'comment', 'at'),
    db('audit_events')
      .whereIn('gate_id', gateIds)
      .where('action', 'item.update')
      .select('gate_id', 'actor', 'after', 'at'),
    db('decisions')
      .whereIn('gate_id', gateIds)
      .where('verdict', 'go')
      .select('gate_id', 'at'),
  ]);
  return decisions.map(d => {
    const decidedAt = toIso(d.at);
    const before = (at: any) => toIso(at) <= decidedAt;
    const caughtBy: CaughtRelease['caughtBy'] = [
      ...(votes as any[])
        .filter(v => v.gate_id === d.gate_id && before(v.at))
        .map(v => ({
          ref: v.voter as string,
          how: 'not-ready vote' as const,
          detail: `${v.role}${v.comment ? `: ${v.comment}` : ''}`,
        })),
      ...(failures as any[])
        .filter(f => f.gate_id === d.gate_id && before(f.at))
        .map(f => ({
          actor: f.actor as string,
          after: JSON.parse(f.after ?? '{}'),
        }))
        .filter(f => f.after.status === 'failed')
        .map(f => ({
          ref: f.actor,
          how: 'failed check' as const,
          detail: String(f.after.itemId),
        })),
    ];
    const fixed =
      ['go', 'released', 'rolled-back'].includes(d.state) ||
      (goes as any[]).some(
        g => g.gate_id === d.gate_id && toIso(g.at) > decidedAt,
      );
    return {
      gateId: d.gate_id,
      entityRef: d.entity_ref,
      title: d.title,
      release: d.release,
      decidedAt,
      decidedBy: d.decided_by,
      reason: d.reason,
      fixed,
      caughtBy,
    };
  });
}
