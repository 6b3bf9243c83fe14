/*
 * The debriefs of gates and their follow-up actions (issue 18): written in
 * one transaction with the audit event, under the gate row's lock, with the
 * gate's state checked there (a debrief is held after release, rollback,
 * NO-GO or cancel) and compare-and-set on the debrief's own version.
 */
import { ConflictError, InputError } from '@backstage/errors';
import {
  DEBRIEF_STATES,
  DebriefFollowUp,
  FacilitatorCount,
  GATE_STATE_LABELS,
  GateHero,
  GateDebrief,
  GateState,
  TeamLearning,
} from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { DebriefChange, DebriefStore, OverdueFollowUp } from './DebriefStore';
import { requireGate } from './gateRows';
import { toIso } from './mappers';
import { applyFilters, PortfolioAccess } from './portfolio';

interface DebriefRow {
  gate_id: string;
  entity_ref: string;
  release: string;
  went_well: string;
  went_wrong: string;
  to_change: string;
  recorded_by: string;
  recorded_at: string | Date;
  updated_by: string;
  updated_at: string | Date;
  version: number;
}

interface FollowUpRow {
  id: string;
  gate_id: string;
  entity_ref: string;
  position: number;
  action: string;
  owner: string;
  due_date: string;
  done: boolean | number;
  done_at: string | Date | null;
  done_by: string | null;
}

function toFollowUp(row: FollowUpRow): DebriefFollowUp {
  return {
    id: row.id,
    action: row.action,
    owner: row.owner,
    dueDate: row.due_date,
    done: Boolean(row.done),
    ...(row.done_at ? { doneAt: toIso(row.done_at) } : {}),
    ...(row.done_by ? { doneBy: row.done_by } : {}),
  };
}

function toDebrief(row: DebriefRow, followUps: FollowUpRow[]): GateDebrief {
  return {
    gateId: row.gate_id,
    entityRef: row.entity_ref,
    release: row.release,
    wentWell: row.went_well,
    wentWrong: row.went_wrong,
    toChange: row.to_change,
    followUps: followUps.map(toFollowUp),
    recordedBy: row.recorded_by,
    recordedAt: toIso(row.recorded_at),
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

async function readDebrief(
  db: Knex,
  gateId: string,
): Promise<GateDebrief | undefined> {
  const row = await db<DebriefRow>('gate_debriefs')
    .where({ gate_id: gateId })
    .first();
  if (!row) return undefined;
  const followUps = await db<FollowUpRow>('debrief_follow_ups')
    .where({ gate_id: gateId })
    .orderBy('position');
  return toDebrief(row, followUps);
}

/** The debrief's answers and actions as the audit trail keeps them. */
function auditSnapshot(debrief: GateDebrief | undefined) {
  if (!debrief) return null;
  return {
    wentWell: debrief.wentWell,
    wentWrong: debrief.wentWrong,
    toChange: debrief.toChange,
    followUps: debrief.followUps.map(f => ({
      id: f.id,
      action: f.action,
      owner: f.owner,
      dueDate: f.dueDate,
      done: f.done,
    })),
  };
}

/** @internal */
export class DatabaseDebriefStore implements DebriefStore {
  static create(options: { db: Knex }): DatabaseDebriefStore {
    return new DatabaseDebriefStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  getDebrief(options: { gateId: string }) {
    return readDebrief(this.db, options.gateId);
  }

  async writeDebrief(change: DebriefChange): Promise<GateDebrief> {
    const at = new Date().toISOString();
    return this.db.transaction(async trx => {
      const gate = await requireGate(trx, change.gateId);
      const state = gate.state as GateState;
      if (!DEBRIEF_STATES.includes(state)) {
        throw new ConflictError(
          `The gate is ${GATE_STATE_LABELS[state].inSentence}; a debrief is held after release, rollback, NO-GO or cancel`,
        );
      }
      const before = await readDebrief(trx, change.gateId);
      if (before && change.expectedVersion === undefined) {
        throw new ConflictError(
          `version: a debrief of this gate was recorded meanwhile (version ${before.version}); reload it and edit that one`,
        );
      }
      if (before && change.expectedVersion !== before.version) {
        throw new ConflictError(
          `version: the debrief is at version ${before.version}, not ${change.expectedVersion}: someone else changed it; reload and try again`,
        );
      }
      if (!before && change.expectedVersion !== undefined) {
        throw new ConflictError(
          'version: this gate has no debrief yet; record one without a version',
        );
      }
      const held = new Map((before?.followUps ?? []).map(f => [f.id, f]));
      change.followUps.forEach((f, i) => {
        if (f.id !== undefined && !held.has(f.id)) {
          throw new InputError(
            `followUps[${i}].id: ${f.id} is not a follow-up of this debrief`,
          );
        }
      });
      const today = at.slice(0, 10);
      change.followUps.forEach((f, i) => {
        const previous = f.id ? held.get(f.id) : undefined;
        if (f.dueDate < today && f.dueDate !== previous?.dueDate) {
          throw new InputError(
            `followUps[${i}].dueDate: ${f.dueDate} is in the past; a follow-up is due today (${today}) or later`,
          );
        }
      });
      const kept = new Set(change.followUps.map(f => f.id));
      const removed = [...held.keys()].filter(id => !kept.has(id));
      if (removed.length) {
        await trx('debrief_follow_ups').whereIn('id', removed).delete();
      }
      const debriefRow = {
        went_well: change.wentWell,
        went_wrong: change.wentWrong,
        to_change: change.toChange,
        updated_by: change.actor,
        updated_at: at,
      };
      if (before) {
        await trx('gate_debriefs')
          .where({ gate_id: change.gateId, version: before.version })
          .update({ ...debriefRow, version: before.version + 1 });
      } else {
        await trx('gate_debriefs').insert({
          ...debriefRow,
          gate_id: gate.id,
          entity_ref: gate.entity_ref,
          release: gate.release,
          recorded_by: change.actor,
          recorded_at: at,
          version: 1,
        });
      }
      for (const [position, f] of change.followUps.entries()) {
        const previous = f.id ? held.get(f.id) : undefined;
        const closing = f.done && !previous?.done;
        const columns = {
          position,
          action: f.action,
          owner: f.owner,
          due_date: f.dueDate,
          done: f.done,
          ...(closing ? { done_at: at, done_by: change.actor } : {}),
          ...(!f.done ? { done_at: null, done_by: null } : {}),
        };
        if (previous) {
          await trx('debrief_follow_ups')
            .where({ id: previous.id })
            .update(columns);
        } else {
          await trx('debrief_follow_ups').insert({
            ...columns,
            id: randomUUID(),
            gate_id: gate.id,
            entity_ref: gate.entity_ref,
          });
        }
      }
      const after = (await readDebrief(trx, change.gateId))!;
      await DatabaseAuditLog.create({ db: trx }).append({
        entityRef: gate.entity_ref,
        gateId: gate.id,
        actor: change.actor,
        action: 'gate.debrief',
        before: auditSnapshot(before),
        after: auditSnapshot(after),
        at,
      });
      return after;
    });
  }

  async listOverdueFollowUps(options: {
    today: string;
    after?: string;
    limit: number;
  }): Promise<OverdueFollowUp[]> {
    const rows = await this.db('debrief_follow_ups as f')
      .join('gate_debriefs as d', 'd.gate_id', 'f.gate_id')
      .where('f.done', false)
      .where('f.due_date', '<', options.today)
      .modify(q => {
        if (options.after) q.where('f.id', '>', options.after);
      })
      .orderBy('f.id')
      .limit(options.limit)
      .select(
        'f.id',
        'f.gate_id',
        'f.entity_ref',
        'd.release',
        'f.action',
        'f.owner',
        'f.due_date',
      );
    return rows.map((r: any) => ({
      id: r.id,
      gateId: r.gate_id,
      entityRef: r.entity_ref,
      release: r.release,
      action: r.action,
      owner: r.owner,
      dueDate: r.due_date,
    }));
  }

  async learning(
    access: PortfolioAccess,
    query: { from: string; to: string; today: string; owner?: string },
  ): Promise<{
    teams: TeamLearning[];
    facilitators: FacilitatorCount[];
    heroes: GateHero[];
  }> {
    const db = this.db;
    // The entities the caller may read, under the portfolio's own filters
    // (the owner's): a subquery, its columns unqualified.
    const visible = db('entities')
      .select('entity_ref')
      .modify(qb =>
        applyFilters(db, qb, query.owner ? { owner: query.owner } : {}, access),
      );
    // NO-GO decisions of the period whose fix landed (a GO came after),
    // with who caught each: a Not-ready vote or a failed check before it.
    const fixedNoGo = (qb: Knex.QueryBuilder) =>
      qb
        .join('decisions as d', 'd.gate_id', 'g.id')
        .whereIn('g.entity_ref', visible)
        .where('d.verdict', 'no-go')
        .where('d.at', '>=', query.from)
        .where('d.at', '<', query.to)
        .whereExists(
          db('decisions as later')
            .select(db.raw('1'))
            .whereRaw('later.gate_id = d.gate_id')
            .where('later.verdict', 'go')
            .whereRaw('later.at > d.at'),
        );
    const catches = db
      .from(
        db('gates as g')
          .modify(fixedNoGo)
          .join('votes as v', 'v.gate_id', 'g.id')
          .where('v.verdict', 'not-ready')
          .whereRaw('v.at <= d.at')
          .select({ person: 'v.voter', decision: 'd.id' })
          .union(
            db('gates as g')
              .modify(fixedNoGo)
              .join('audit_events as a', 'a.gate_id', 'g.id')
              .where('a.action', 'item.update')
              .where('a.after', 'like', '%"status":"failed"%')
              .whereRaw('a.at <= d.at')
              .select({ person: 'a.actor', decision: 'd.id' }),
          )
          .as('c'),
      )
      .groupBy('c.person')
      .select({ person: 'c.person' })
      .countDistinct({ catches: 'c.decision' });
    const [ended, open, facilitated, caught] = await Promise.all([
      db('gates as g')
        .join('entities as e', 'e.entity_ref', 'g.entity_ref')
        .leftJoin('gate_debriefs as d', 'd.gate_id', 'g.id')
        .whereIn('g.entity_ref', visible)
        .whereIn('g.state', DEBRIEF_STATES as GateState[])
        .where('g.updated_at', '>=', query.from)
        .where('g.updated_at', '<', query.to)
        .groupBy('e.owner_ref')
        .select({ owner: 'e.owner_ref' })
        .count({ ended: '*' })
        .count({ debriefed: 'd.gate_id' }),
      db('debrief_follow_ups as f')
        .join('entities as e', 'e.entity_ref', 'f.entity_ref')
        .whereIn('f.entity_ref', visible)
        .where('f.done', false)
        .groupBy('e.owner_ref')
        .select({ owner: 'e.owner_ref' })
        .count({ open: '*' })
        .select(
          db.raw('SUM(CASE WHEN f.due_date < ? THEN 1 ELSE 0 END) AS overdue', [
            query.today,
          ]),
        ),
      db('gates as g')
        .whereIn('g.entity_ref', visible)
        .whereNotNull('g.facilitator')
        .where('g.opened_at', '>=', query.from)
        .where('g.opened_at', '<', query.to)
        .groupBy('g.facilitator')
        .select({ person: 'g.facilitator' })
        .count({ gates: '*' }),
      catches,
    ]);
    const teams = new Map<string, TeamLearning>();
    const team = (owner: string) => {
      const found = teams.get(owner);
      if (found) return found;
      const fresh: TeamLearning = {
        owner,
        endedGates: 0,
        debriefed: 0,
        openFollowUps: 0,
        overdueFollowUps: 0,
      };
      teams.set(owner, fresh);
      return fresh;
    };
    for (const r of ended as any[]) {
      const t = team(r.owner ?? '');
      t.endedGates = Number(r.ended);
      t.debriefed = Number(r.debriefed);
    }
    for (const r of open as any[]) {
      const t = team(r.owner ?? '');
      t.openFollowUps = Number(r.open);
      t.overdueFollowUps = Number(r.overdue ?? 0);
    }
    return {
      teams: [...teams.values()].sort((a, b) => a.owner.localeCompare(b.owner)),
      heroes: (caught as any[])
        .filter(r => String(r.person).startsWith('user:'))
        .map(r => ({ person: r.person as string, catches: Number(r.catches) }))
        .sort(
          (a, b) => b.catches - a.catches || a.person.localeCompare(b.person),
        ),
      facilitators: (facilitated as any[])
        .map(r => ({ person: r.person as string, gates: Number(r.gates) }))
        .sort((a, b) => b.gates - a.gates || a.person.localeCompare(b.person)),
    };
  }
}
