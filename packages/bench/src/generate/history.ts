/*
 * Writes gate histories straight into the plugin's tables: gates in every
 * state with their checklist items, sign-off votes, CI evidence, decisions,
 * post-release incidents and a hash-chained audit trail, plus each entity's
 * index row with the summary of its current gate.
 *
 * What it writes is what the API would have written, had people and pipelines
 * done these things at those times: the same row shapes, the same audit
 * actions and payloads, and audit hashes computed with the plugin's own
 * `hashAuditEvent`, so that every chain verifies. The API cannot backdate, so
 * this is the only way to get months of history (the demo) or 100,000
 * entities (the benchmark) in seconds.
 *
 * Output depends only on the seed and the inputs. Each team has a
 * temperament drawn from the seed (how long its gates take, how often it says
 * NO-GO, how often a release causes an incident), so that the portfolio's
 * charts have differences worth looking at.
 */
import { createHash } from 'node:crypto';
import type {
  ChecklistItemDefinition,
  GateState,
  GateTemplate,
} from '@release-readiness/plugin-common';
import {
  DecisionFacts,
  DecisionRow,
  EntityInfo,
  EntityOwnership,
  EvidenceRow,
  GateFacts,
  GateItemRow,
  gateMetricsRow,
  GateRow,
  hashAuditEvent,
  storedGateSummary,
  VoteRow,
} from '@release-readiness/plugin-backend';
import type { Knex } from 'knex';
import { Random } from './random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An entity of the index, as the entity index sync writes it. */
export type GeneratedEntity = EntityInfo;

/** Who may act: the members of each owner team and of each other group. */
export interface People {
  byTeam: Map<string, string[]>;
  byGroup: Map<string, string[]>;
}

/** What to generate. */
export interface HistoryOptions {
  seed: number;
  /** The end of the history; nothing is dated after it. */
  now: Date;
  /** How far back the oldest gate opens. */
  months: number;
  /** How many closed gates each entity had before its current one. */
  pastGates: { min: number; max: number };
  /**
   * Whether each entity also gets a current gate in a random state (the
   * benchmark). Without it, the last past gate is the entity's current one.
   */
  currentGates: boolean;
  /** The service principal that posts evidence. */
  ciPrincipal?: string;
  /** The release name of an entity's k-th gate (default `1.k.0`). */
  releaseName?: (k: number, openedAt: Date) => string;
}

/** What was written, to check the metrics against. */
export interface HistorySummary {
  entities: number;
  gates: number;
  gatesByState: Record<GateState, number>;
  goDecisions: number;
  noGoDecisions: number;
  releases: number;
  incidents: number;
  items: number;
  votes: number;
  evidence: number;
  auditEvents: number;
  /** Lead times (opened → first GO) in hours, per owner team. */
  leadTimeHoursByTeam: Record<string, number[]>;
}

interface Temperament {
  leadMedianMs: number;
  noGoRate: number;
  incidentRate: number;
}

interface AuditRow {
  entity_ref: string;
  gate_id: string;
  actor: string;
  action: string;
  before: string | null;
  after: string | null;
  at: string;
  prev_hash: string | null;
  hash: string;
}

/** The metrics rows of the gates of a chunk, as the plugin derives them. */
function metricsRowsOf(rows: Rows): object[] {
  const decisionsOf = new Map<unknown, DecisionFacts[]>();
  for (const d of rows.decisions) {
    const list = decisionsOf.get(d.gate_id) ?? [];
    list.push(d as unknown as DecisionFacts);
    decisionsOf.set(d.gate_id, list);
  }
  const entityOf = new Map(
    rows.entities.map(e => [e.entity_ref, e as EntityOwnership]),
  );
  const incidentsOf = new Map<string, number>();
  for (const i of rows.incidents) {
    const key = `${i.entity_ref} ${i.release}`;
    incidentsOf.set(key, (incidentsOf.get(key) ?? 0) + 1);
  }
  return rows.gates.flatMap(gate => {
    const row = gateMetricsRow(
      gate as unknown as GateFacts,
      decisionsOf.get(gate.id) ?? [],
      entityOf.get(gate.entity_ref),
      incidentsOf.get(`${gate.entity_ref} ${gate.release}`) ?? 0,
    );
    return row ? [row] : [];
  });
}

/** The rows of one chunk of entities, inserted together. */
class Rows {
  entities: Record<string, unknown>[] = [];
  gates: GateRow[] = [];
  items: GateItemRow[] = [];
  votes: VoteRow[] = [];
  decisions: DecisionRow[] = [];
  evidence: EvidenceRow[] = [];
  incidents: Record<string, unknown>[] = [];
  audit: AuditRow[] = [];

  get size() {
    return (
      this.gates.length +
      this.items.length +
      this.votes.length +
      this.audit.length +
      this.evidence.length
    );
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function stableNumber(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/**
 * One gate being lived through: each step changes the rows the way the
 * store would, and appends its audit event to the gate's chain.
 */
class GateLife {
  readonly id: string;
  state: GateState = 'in-progress';
  version = 1;
  revision = 1;
  private prevHash: string | null = null;
  readonly items: {
    definition: ChecklistItemDefinition;
    status: string;
    note: string | null;
    waiver: string | null;
    updatedBy: string | null;
    updatedAt: string | null;
    version: number;
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
  ) {
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
    });
    this.prevHash = hash;
    this.updatedAt = Math.max(this.updatedAt, at);
  }

  markItem(index: number, status: string, actor: string, at: number) {
    const item = this.items[index];
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
    this.rows.decisions.push({
      id: this.random.uuid(),
      gate_id: this.id,
      verdict,
      reason,
      decided_by: actor,
      at: iso(at),
      state_hash: stateHash,
      blocker_count: blockers,
    });
    this.audit(actor, `decision.${verdict}`, at, before, {
      state: verdict,
      stateHash,
    });
  }

  move(to: GateState, actor: string, at: number, reason?: string) {
    const before = { state: this.state };
    this.state = to;
    this.version += 1;
    this.audit(actor, `gate.${to}`, at, before, {
      state: to,
      ...(reason ? { reason } : {}),
    });
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
      rapid_reason: null,
      risk: this.risk,
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

/**
 * Generates and writes the history of these entities. Entities are written
 * in chunks, each in one transaction; the index rows are upserted (their
 * catalog columns refreshed, their current gate set).
 */
export async function writeHistory(
  db: Knex,
  input: {
    entities: Iterable<GeneratedEntity>;
    people: People;
    templates: GateTemplate[];
    options: HistoryOptions;
    onProgress?: (written: number) => void;
  },
): Promise<HistorySummary> {
  const { people, templates, options } = input;
  const random = new Random(options.seed);
  const templateJson = new Map(
    templates.map(t => {
      const { hash: _hash, source: _source, ...spec } = t;
      return [t.name, JSON.stringify(spec)];
    }),
  );
  const summary: HistorySummary = {
    entities: 0,
    gates: 0,
    gatesByState: {
      'in-progress': 0,
      go: 0,
      'no-go': 0,
      released: 0,
      'rolled-back': 0,
      cancelled: 0,
    },
    goDecisions: 0,
    noGoDecisions: 0,
    releases: 0,
    incidents: 0,
    items: 0,
    votes: 0,
    evidence: 0,
    auditEvents: 0,
    leadTimeHoursByTeam: {},
  };
  const temperaments = new Map<string, Temperament>();
  const temperamentOf = (team: string): Temperament => {
    let t = temperaments.get(team);
    if (!t) {
      const r = new Random(options.seed ^ stableNumber(team));
      t = {
        leadMedianMs: r.int(24, 192) * HOUR,
        noGoRate: r.int(5, 40) / 100,
        incidentRate: r.int(2, 25) / 100,
      };
      temperaments.set(team, t);
    }
    return t;
  };
  const ci = options.ciPrincipal ?? 'external:ci';
  const end = options.now.getTime();
  const start = end - options.months * 30 * DAY;
  const releaseManagers = people.byGroup.get(
    'group:default/release-management',
  ) ?? ['user:default/release-manager'];

  /** Who votes for a role of this gate. */
  const voterFor = (
    role: GateTemplate['signoffs']['roles'][number],
    team: string,
    requester: string,
  ): { voter: string; claims: string[] } | undefined => {
    if (role.eligible.gateOwners) {
      const members = (people.byTeam.get(team) ?? []).filter(
        m => m !== requester,
      );
      return members.length
        ? { voter: random.pick(members), claims: [team] }
        : undefined;
    }
    for (const group of role.eligible.groups ?? []) {
      const members = people.byGroup.get(group.toLocaleLowerCase('en-US'));
      if (members?.length) {
        return { voter: random.pick(members), claims: [group] };
      }
    }
    const user = role.eligible.users?.[0];
    return user ? { voter: user, claims: [] } : undefined;
  };

  // SQLite inserts many rows as one compound SELECT (at most 500 terms) and
  // binds at most 32,766 variables per statement.
  const isSqlite = String(db.client.config.client).includes('sqlite');
  const chunkFor = (columns: number) =>
    Math.max(1, Math.min(isSqlite ? 500 : 2_000, Math.floor(30_000 / columns)));

  let rows = new Rows();
  const flush = async () => {
    const current = rows;
    rows = new Rows();
    await db.transaction(async trx => {
      const insert = async (table: string, list: object[]) => {
        if (!list.length) return;
        const chunk = chunkFor(Object.keys(list[0]).length);
        for (let i = 0; i < list.length; i += chunk) {
          await trx(table).insert(list.slice(i, i + chunk));
        }
      };
      if (current.entities.length) {
        const columns = Object.keys(current.entities[0]);
        const chunk = chunkFor(columns.length);
        for (let i = 0; i < current.entities.length; i += chunk) {
          await trx('entities')
            .insert(current.entities.slice(i, i + chunk))
            .onConflict('entity_ref')
            .merge(columns.filter(c => c !== 'entity_ref'));
        }
      }
      await insert('gates', current.gates);
      await insert('gate_items', current.items);
      await insert('votes', current.votes);
      await insert('decisions', current.decisions);
      await insert('gate_metrics', metricsRowsOf(current));
      await insert('evidence', current.evidence);
      await insert('incidents', current.incidents);
      await insert('audit_events', current.audit);
    });
    summary.items += current.items.length;
    summary.votes += current.votes.length;
    summary.evidence += current.evidence.length;
    summary.auditEvents += current.audit.length;
    input.onProgress?.(summary.entities);
  };

  for (const entity of input.entities) {
    const template = templates.find(t => t.name === entity.templateName);
    if (!template) continue;
    summary.entities += 1;
    const team = entity.ownerRef ?? 'group:default/unowned';
    const members = people.byTeam.get(team) ?? [];
    const temperament = temperamentOf(team);
    const pastCount = random.int(options.pastGates.min, options.pastGates.max);
    const slots = pastCount + (options.currentGates ? 1 : 0);
    const slotLength = (end - 3 * DAY - start) / Math.max(1, slots);
    // The entity's current gate: its newest that is not cancelled.
    let current: ReturnType<GateLife['flush']> | undefined;
    const evidenceFrom = rows.evidence.length;
    const decisionsFrom = rows.decisions.length;

    for (let k = 0; k < slots; k++) {
      const isCurrent = options.currentGates && k === slots - 1;
      const requester = members.length
        ? random.pick(members)
        : 'user:default/guest';
      const openedAt = isCurrent
        ? end - random.int(1, 10 * 24) * HOUR
        : Math.round(start + k * slotLength + random.int(0, slotLength / 3));
      const leadMs = Math.min(
        Math.max(2 * HOUR, random.logNormal(temperament.leadMedianMs)),
        isCurrent ? end - openedAt : slotLength * 0.6,
      );
      const plannedAt = openedAt + leadMs + random.int(1, 24) * HOUR;
      const gate = new GateLife(
        rows,
        random,
        entity.entityRef,
        options.releaseName?.(k, new Date(openedAt)) ?? `1.${k}.0`,
        template,
        templateJson.get(template.name)!,
        requester,
        openedAt,
        plannedAt,
      );
      summary.gates += 1;

      // What this gate lives through before `end`.
      let fate: GateState = 'released';
      if (isCurrent) {
        fate = random.pick<GateState>([
          'in-progress',
          'in-progress',
          'in-progress',
          'go',
          'no-go',
          'released',
          'released',
          'cancelled',
        ]);
      } else if (random.chance(0.04)) {
        fate = 'cancelled';
      } else if (random.chance(0.05)) {
        fate = 'rolled-back';
      }
      const caught =
        fate !== 'cancelled' &&
        (fate === 'no-go' || random.chance(temperament.noGoRate));
      // Stages are spread over the lead time: evidence and items first, the
      // votes, then the decision.
      const at = (fraction: number) => Math.round(openedAt + leadMs * fraction);
      const owner = members.length ? random.pick(members) : requester;

      // CI evidence for the automated items; a caught gate's first run fails.
      const evidence = rows.evidence;
      let run = 0;
      template.checklist.forEach((item, index) => {
        if (!item.automated) return;
        const failFirst = caught && index === 0;
        const post = (status: 'passed' | 'failed', when: number) => {
          run += 1;
          evidence.push({
            id: random.uuid(),
            entity_ref: entity.entityRef,
            release: gate.release,
            type: item.automated!.evidenceType,
            status,
            metrics: JSON.stringify(
              status === 'passed'
                ? { passed: true, score: 95, critical: 0, high: 0 }
                : { passed: false, score: 70, critical: 1, high: 2 },
            ),
            link: null,
            commit_sha: random.hex(40),
            run_id: `run-${run}`,
            observed_at: iso(when),
            received_at: iso(when),
            posted_by: ci,
          });
        };
        if (failFirst) post('failed', at(0.1));
        if (fate === 'in-progress' && random.chance(0.3)) return;
        post('passed', at(caught ? 0.55 : 0.15));
      });

      const manual = gate.items
        .map((item, index) => ({ item, index }))
        .filter(({ item }) => !item.definition.automated);
      const finishManual = (fromFraction: number, toFraction: number) => {
        manual.forEach(({ item, index }, n) => {
          if (item.status === 'passed' || item.status === 'waived') return;
          const when = at(
            fromFraction +
              ((toFraction - fromFraction) * (n + 1)) / (manual.length + 1),
          );
          let status = random.chance(0.05) ? 'waived' : 'passed';
          if (!item.definition.required) {
            status = random.pick(['passed', 'not-applicable']);
          }
          gate.markItem(index, status, owner, when);
        });
      };
      const voteAll = (fraction: number) => {
        for (const role of template.signoffs.roles) {
          // Whoever said Not ready confirms the fix, or the GO could not be.
          const objector = gate.votes.find(
            v =>
              v.role === role.id &&
              !v.supersededAt &&
              v.verdict === 'not-ready',
          );
          const who = objector
            ? { voter: objector.voter, claims: objector.claims }
            : voterFor(role, team, requester);
          if (who) {
            gate.vote(role.id, who.voter, who.claims, 'ready', at(fraction));
          }
        }
      };

      if (fate === 'in-progress') {
        // Part-way: some items marked, some votes in.
        finishManual(0.1, 0.3);
        if (random.chance(0.5)) {
          const role = template.signoffs.roles[0];
          const who = role && voterFor(role, team, requester);
          if (who) {
            gate.vote(
              role.id,
              who.voter,
              who.claims,
              random.chance(0.3) ? 'not-ready' : 'ready',
              at(0.4),
            );
          }
        }
      } else if (fate === 'cancelled') {
        finishManual(0.1, 0.2);
        gate.move('cancelled', owner, at(0.3), 'Superseded by a later release');
      } else {
        if (caught) {
          // The catch: a failed check and a Not-ready vote, then NO-GO.
          const failing = manual.find(m => m.item.definition.required);
          if (failing) gate.markItem(failing.index, 'failed', owner, at(0.15));
          const role =
            template.signoffs.roles.find(r => !r.eligible.gateOwners) ??
            template.signoffs.roles[0];
          const who = role && voterFor(role, team, requester);
          if (who) {
            gate.vote(role.id, who.voter, who.claims, 'not-ready', at(0.2));
          }
          gate.decide(
            'no-go',
            random.pick(releaseManagers),
            at(0.25),
            random.int(1, 4),
          );
          if (fate !== 'no-go') {
            gate.move(
              'in-progress',
              owner,
              at(0.35),
              'Blockers fixed; reopening',
            );
          }
        }
        if (fate !== 'no-go') {
          finishManual(0.4, 0.7);
          gate.putRisk(owner, at(0.72));
          voteAll(0.85);
          gate.decide('go', random.pick(releaseManagers), at(1), 0);
          const lead = leadMs / HOUR;
          (summary.leadTimeHoursByTeam[team] ??= []).push(lead);
          if (fate !== 'go') {
            const releasedAt = Math.min(end, at(1) + random.int(1, 12) * HOUR);
            gate.move('released', owner, releasedAt);
            summary.releases += 1;
            const rolledBack = fate === 'rolled-back';
            if (rolledBack || random.chance(temperament.incidentRate)) {
              const occurred = Math.min(
                end,
                releasedAt + random.int(1, 72) * HOUR,
              );
              summary.incidents += 1;
              rows.incidents.push({
                id: random.uuid(),
                entity_ref: entity.entityRef,
                release: gate.release,
                severity: rolledBack ? 'sev2' : random.pick(['sev3', 'sev4']),
                title: rolledBack
                  ? 'Error rate doubled after release; rolled back'
                  : 'Degraded latency after release',
                link: null,
                occurred_at: iso(occurred),
                reported_by: owner,
                reported_at: iso(Math.min(end, occurred + HOUR)),
              });
              if (rolledBack) {
                gate.move(
                  'rolled-back',
                  owner,
                  Math.min(end, occurred + 2 * HOUR),
                  'Rolled back after the incident',
                );
              }
            }
          }
        }
      }
      for (const d of gate.decisions) {
        if (d.verdict === 'go') summary.goDecisions += 1;
        else summary.noGoDecisions += 1;
      }
      summary.gatesByState[gate.state] += 1;
      const stored = gate.flush();
      if (gate.state !== 'cancelled') current = stored;
    }

    rows.entities.push({
      entity_ref: entity.entityRef,
      kind: entity.kind,
      title: entity.title,
      type: entity.type ?? null,
      lifecycle: entity.lifecycle ?? null,
      owner_ref: entity.ownerRef ?? null,
      system_ref: entity.systemRef ?? null,
      tags: JSON.stringify(entity.tags),
      template_name: entity.templateName ?? null,
      tier: entity.tier ?? null,
      refreshed_at: iso(end),
      // Its summary as the plugin evaluates it, so that reading the entity
      // finds nothing to rewrite (the gates' rows are all in this chunk).
      ...(current
        ? storedGateSummary(
            {
              ...current,
              decisions: rows.decisions
                .slice(decisionsFrom)
                .filter(d => d.gate_id === current!.gate.id),
              evidence: rows.evidence
                .slice(evidenceFrom)
                .filter(e => e.release === current!.gate.release),
              ownerRefs: entity.ownerRef ? [entity.ownerRef] : [],
            },
            options.now,
          )
        : {
            current_gate_id: null,
            current_release: null,
            current_state: null,
            current_verdict: null,
            current_score: null,
            current_blockers: null,
            current_planned_at: null,
            current_decision: null,
            current_decided_at: null,
            current_gate_version: null,
          }),
    });
    if (rows.size > 20_000) await flush();
  }
  await flush();
  return summary;
}
