/*
 * The mechanics of one gate's life: opening it, marking its checklist items,
 * votes, the risk assessment, decisions and state changes, each changing the
 * gate's rows the way the plugin's store would and appending its event,
 * hashed with the plugin's own `hashAuditEvent`, to the gate's audit chain.
 * What happens to a gate, and when, is decided in gateStory.ts.
 */
import { createHash } from 'node:crypto';
import type {
  ChecklistItemDefinition,
  GateState,
  GateTemplate,
} from '@release-readiness/plugin-common';
import { hashAuditEvent } from '@release-readiness/plugin-backend/internal';
import type {
  GateItemRow,
  GateRow,
  VoteRow,
} from '@release-readiness/plugin-backend/internal';
import { Random } from '../random';
import { Rows } from './rows';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A time as the tables store it. */
export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One gate being lived through: each step changes the rows the way the
 * store would, and appends its audit event to the gate's chain.
 */
export class GateLife {
  readonly id: string;
  state: GateState = 'in-progress';
  version = 1;
  revision = 1;
  private prevHash: string | null = null;
  private seq = 0;
  readonly items: {
    definition: ChecklistItemDefinition;
    status: string;
    note: string | null;
    waiver: string | null;
    updatedBy: string | null;
    updatedAt: string | null;
    version: number;
    /** Failed at some point of the gate (the outcome loop). */
    everFailed?: boolean;
  }[];
  readonly votes: {
    id: string;
    role: string;
    voter: string;
    claims: string[];
    verdict: 'ready' | 'not-ready';
    comment: string | null;
    revision: number;
    at: string;
    supersededAt: string | null;
  }[] = [];
  readonly decisions: {
    verdict: 'go' | 'no-go';
    at: string;
    by: string;
    reason: string;
    blockers: number;
  }[] = [];
  risk: string | null = null;
  /** Who ran the gate meeting: the team's members in turn (writeHistory.ts). */
  facilitator: string | null = null;

  constructor(
    private readonly rows: Rows,
    private readonly random: Random,
    readonly entityRef: string,
    readonly release: string,
    readonly template: GateTemplate,
    readonly templateJson: string,
    readonly requestedBy: string,
    readonly openedAt: number,
    readonly plannedAt: number | null,
  ) {
    this.id = random.uuid();
    this.items = template.checklist.map(definition => ({
      definition,
      status: 'pending',
      note: null,
      waiver: null,
      updatedBy: null,
      updatedAt: null,
      version: 1,
    }));
    this.updatedAt = openedAt;
    this.audit(requestedBy, 'gate.open', openedAt, null, {
      state: 'in-progress',
      release,
      template: template.name,
      templateVersion: template.version,
      templateHash: template.hash,
      ...(plannedAt ? { plannedAt: iso(plannedAt) } : {}),
      items: template.checklist.map(i => i.id),
    });
  }

  updatedAt: number;

  private audit(
    actor: string,
    action: string,
    at: number,
    before: object | null,
    after: object | null,
  ): { seq: number; hash: string } {
    const atIso = iso(at);
    const hash = hashAuditEvent({
      prevHash: this.prevHash,
      entityRef: this.entityRef,
      gateId: this.id,
      actor,
      action,
      before,
      after,
      at: atIso,
    });
    this.rows.audit.push({
      entity_ref: this.entityRef,
      gate_id: this.id,
      actor,
      action,
      before: before ? JSON.stringify(before) : null,
      after: after ? JSON.stringify(after) : null,
      at: atIso,
      prev_hash: this.prevHash,
      hash,
      chain: `gate:${this.id}`,
      seq: this.seq + 1,
    });
    this.seq += 1;
    this.prevHash = hash;
    this.updatedAt = Math.max(this.updatedAt, at);
    return { seq: this.seq, hash };
  }

  /**
   * Governance: the reason a rapid template was chosen and release
   * management's approval of that choice, as the API records them.
   */
  templateChoice: {
    reason: string;
    approval: {
      approvers: string[];
      because: string;
      approvedBy: string;
      approvedAt: string;
    };
  } | null = null;

  approveTemplateChoice(
    reason: string,
    approvers: string[],
    approvedBy: string,
    at: number,
  ) {
    const approval = {
      approvers,
      because: `${this.template.name} is the expedited (rapid) template`,
      approvedBy,
      approvedAt: iso(at),
    };
    this.templateChoice = { reason, approval };
    this.version += 1;
    this.audit(approvedBy, 'gate.template-approval', at, null, {
      templateApproval: approval,
    });
  }

  markItem(
    index: number,
    status: string,
    actor: string,
    at: number,
    /** Governance: who approved a waiver that needs an approval. */
    waiverApproval?: { approvers: string[]; approvedBy: string },
  ) {
    const item = this.items[index];
    if (status === 'failed') item.everFailed = true;
    const notes: Record<string, string> = {
      failed: 'Found a problem; fix in progress',
      'not-applicable': 'Does not apply to this release',
    };
    const note = notes[status] ?? null;
    const waiver =
      status === 'waived'
        ? {
            justification: 'Accepted for this release by the gate owners',
            expiresAt: iso(at + 30 * DAY),
            by: actor,
            at: iso(at),
            ...(waiverApproval
              ? { approval: { ...waiverApproval, approvedAt: iso(at) } }
              : {}),
          }
        : null;
    const before = {
      itemId: item.definition.id,
      status: item.status,
      ...(item.note ? { note: item.note } : {}),
      ...(item.waiver ? { waiver: JSON.parse(item.waiver) } : {}),
    };
    item.status = status;
    item.note = note;
    item.waiver = waiver ? JSON.stringify(waiver) : null;
    item.updatedBy = actor;
    item.updatedAt = iso(at);
    item.version += 1;
    this.version += 1;
    if (item.definition.required) this.revision += 1;
    this.audit(actor, 'item.update', at, before, {
      itemId: item.definition.id,
      status,
      ...(note ? { note } : {}),
      ...(waiver ? { waiver } : {}),
    });
  }

  vote(
    role: string,
    voter: string,
    claims: string[],
    verdict: 'ready' | 'not-ready',
    at: number,
  ) {
    const comment =
      verdict === 'ready'
        ? 'Looks good to me'
        : 'Not ready: a blocker needs fixing first';
    const previous = this.votes.find(
      v => v.role === role && v.voter === voter && !v.supersededAt,
    );
    if (previous) previous.supersededAt = iso(at);
    this.votes.push({
      id: this.random.uuid(),
      role,
      voter,
      claims,
      verdict,
      comment,
      revision: this.revision,
      at: iso(at),
      supersededAt: null,
    });
    this.version += 1;
    this.audit(
      voter,
      'signoff.vote',
      at,
      previous
        ? { role, verdict: previous.verdict, comment: previous.comment }
        : null,
      { role, verdict, comment },
    );
  }

  putRisk(actor: string, at: number) {
    const risk = {
      rollbackPlan:
        'Redeploy the previous version with the pipeline rollback job',
      rollbackVerifiedAt: iso(at),
      rollbackVerifiedBy: actor,
      impactMatrix: [
        {
          failureMode: 'Elevated error rate after deployment',
          impact: 'medium',
          likelihood: 'low',
          mitigation: 'Canary at 5% with automatic rollback',
        },
      ],
      residualRisk: { acceptedBy: actor, acceptedAt: iso(at) },
      communication: {
        audiences: ['support', 'on-call'],
        scheduledAt: iso(at + HOUR),
        approvedBy: actor,
        approvedAt: iso(at),
      },
      updatedBy: actor,
      updatedAt: iso(at),
    };
    const before = this.risk ? JSON.parse(this.risk) : null;
    this.version += 1;
    this.risk = JSON.stringify({
      ...risk,
      version: (before?.version ?? 0) + 1,
    });
    this.audit(actor, 'risk.update', at, before, JSON.parse(this.risk));
  }

  decide(verdict: 'go' | 'no-go', actor: string, at: number, blockers: number) {
    const reason =
      verdict === 'go'
        ? 'Every condition met; go'
        : `No-go: ${blockers} blocker${blockers === 1 ? '' : 's'} open`;
    const stateHash = createHash('sha256')
      .update(`${this.id}:${this.version}:${verdict}`)
      .digest('hex');
    const before = { state: this.state };
    this.state = verdict;
    this.version += 1;
    this.decisions.push({ verdict, at: iso(at), by: actor, reason, blockers });
    const head = this.audit(actor, `decision.${verdict}`, at, before, {
      state: verdict,
      verdict,
      reason,
      stateHash,
    });
    this.rows.decisions.push({
      id: this.random.uuid(),
      gate_id: this.id,
      verdict,
      reason,
      decided_by: actor,
      at: iso(at),
      state_hash: stateHash,
      blocker_count: blockers,
      head_seq: head.seq,
      head_hash: head.hash,
    });
  }

  /** When the gate went to released, as the plugin's transition stores it. */
  releasedAt: number | null = null;

  move(to: GateState, actor: string, at: number, reason?: string) {
    if (to === 'released') this.releasedAt = at;
    const before = { state: this.state };
    this.state = to;
    this.version += 1;
    this.audit(actor, `gate.${to}`, at, before, {
      state: to,
      ...(reason ? { reason } : {}),
    });
  }

  /**
   * The gate's blameless debrief, as `PUT /gates/:id/debrief` records it:
   * its row, its follow-ups and its audit event (gate.debrief). Like the
   * plugin's, it leaves the gate's own row (and its updated time) alone.
   */
  debrief(
    actor: string,
    at: number,
    answers: { wentWell: string; wentWrong: string; toChange: string },
    followUps: {
      action: string;
      owner: string;
      dueDate: string;
      doneAt?: number;
    }[],
  ): void {
    const gateUpdatedAt = this.updatedAt;
    const stored = followUps.map((f, position) => ({
      id: `${this.id}-follow-up-${position + 1}`,
      gate_id: this.id,
      entity_ref: this.entityRef,
      position,
      action: f.action,
      owner: f.owner,
      due_date: f.dueDate,
      done: f.doneAt !== undefined,
      done_at: f.doneAt !== undefined ? iso(f.doneAt) : null,
      done_by: f.doneAt !== undefined ? actor : null,
    }));
    this.rows.debriefs.push({
      gate_id: this.id,
      entity_ref: this.entityRef,
      release: this.release,
      went_well: answers.wentWell,
      went_wrong: answers.wentWrong,
      to_change: answers.toChange,
      recorded_by: actor,
      recorded_at: iso(at),
      updated_by: actor,
      updated_at: iso(at),
      version: 1,
    });
    this.rows.followUps.push(...stored);
    const snapshot = (done: (f: (typeof stored)[number]) => boolean) => ({
      ...answers,
      followUps: stored.map(f => ({
        id: f.id,
        action: f.action,
        owner: f.owner,
        dueDate: f.due_date,
        done: done(f),
      })),
    });
    this.audit(
      actor,
      'gate.debrief',
      at,
      null,
      snapshot(() => false),
    );
    // The follow-ups done since: one edit, when the last was marked done.
    const closedAt = Math.max(
      ...followUps.map(f => f.doneAt ?? Number.NEGATIVE_INFINITY),
    );
    if (Number.isFinite(closedAt)) {
      this.audit(
        actor,
        'gate.debrief',
        closedAt,
        snapshot(() => false),
        snapshot(f => f.done),
      );
      const row = this.rows.debriefs[this.rows.debriefs.length - 1];
      row.version = 2;
      row.updated_at = iso(closedAt);
      for (const f of stored) if (f.done) f.done_at = iso(closedAt);
    }
    this.updatedAt = gateUpdatedAt;
  }

  /**
   * Writes the gate's own rows (its events are already in `rows.audit`, its
   * decisions in `rows.decisions`) and returns them.
   */
  flush(): { gate: GateRow; items: GateItemRow[]; votes: VoteRow[] } {
    const gate: GateRow = {
      id: this.id,
      entity_ref: this.entityRef,
      release: this.release,
      template_name: this.template.name,
      template_version: this.template.version,
      template: this.templateJson,
      template_hash: this.template.hash,
      tier: this.template.tier,
      state: this.state,
      planned_at: this.plannedAt ? iso(this.plannedAt) : null,
      requested_by: this.requestedBy,
      rapid_reason: this.templateChoice?.reason ?? null,
      template_reason: this.templateChoice?.reason ?? null,
      template_approval: this.templateChoice
        ? JSON.stringify(this.templateChoice.approval)
        : null,
      risk: this.risk,
      facilitator: this.facilitator,
      released_at: this.releasedAt === null ? null : iso(this.releasedAt),
      opened_at: iso(this.openedAt),
      updated_at: iso(this.updatedAt),
      version: this.version,
      checklist_revision: this.revision,
    };
    const items: GateItemRow[] = this.items.map((item, position) => ({
      gate_id: this.id,
      item_id: item.definition.id,
      position,
      source: 'template',
      definition: JSON.stringify(item.definition),
      status: item.status,
      note: item.note,
      waiver: item.waiver,
      updated_by: item.updatedBy,
      updated_at: item.updatedAt,
      version: item.version,
      ever_failed: Boolean(item.everFailed),
    }));
    const votes: VoteRow[] = this.votes.map(v => ({
      id: v.id,
      gate_id: this.id,
      role: v.role,
      voter: v.voter,
      voter_claims: JSON.stringify(v.claims),
      verdict: v.verdict,
      comment: v.comment,
      checklist_revision: v.revision,
      at: v.at,
      superseded_at: v.supersededAt,
    }));
    this.rows.gates.push(gate);
    this.rows.items.push(...items);
    this.rows.votes.push(...votes);
    return { gate, items, votes };
  }
}
