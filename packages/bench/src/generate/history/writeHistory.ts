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
import type { GateTemplate } from '@release-readiness/plugin-common';
import { storedGateSummary } from '@release-readiness/plugin-backend/internal';
import type { Knex } from 'knex';
import { Random } from '../random';
import { DAY, GateLife, HOUR, iso } from './gateLife';
import { GateStoryteller } from './gateStory';
import { insertRows, Rows } from './rows';
import type {
  GeneratedEntity,
  HistoryOptions,
  HistorySummary,
  People,
} from './types';

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
  const stories = new GateStoryteller(random, people, options, summary);
  const end = options.now.getTime();
  const start = end - options.months * 30 * DAY;

  let rows = new Rows();
  const flush = async () => {
    const current = rows;
    rows = new Rows();
    await insertRows(db, current);
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
    const temperament = stories.temperamentOf(team);
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
      // The team's members take turns at facilitating, as the plugin's
      // rotation has them (least recently first), starting at a different
      // member on each entity; no random draw, so the stories stay the same.
      if (members.length) {
        gate.facilitator = members[(k + summary.entities) % members.length];
      }
      summary.gates += 1;
      stories.tell(gate, rows, {
        team,
        members,
        requester,
        isCurrent,
        leadMs,
      });
      for (const d of gate.decisions) {
        if (d.verdict === 'go') summary.goDecisions += 1;
        else summary.noGoDecisions += 1;
      }
      summary.gatesByState[gate.state] += 1;
      recordDebrief(gate, k + summary.entities, team, end);
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

/** What the demo's debriefs say, in turn: about the process and the system. */
const DEBRIEFS = [
  {
    wentWell: 'The canary caught the latency regression within ten minutes.',
    wentWrong:
      'The load-test evidence was three weeks old and nothing flagged it before the meeting.',
    toChange: 'Run the load test in the release pipeline, not by hand.',
    action: 'Add the load test to the release pipeline',
  },
  {
    wentWell: 'The rollback plan was rehearsed and took four minutes.',
    wentWrong:
      'The release notes were written after the freeze began, so support learned of the change late.',
    toChange: 'Draft the release notes when the gate opens.',
    action: 'Add a release-notes item to the gate template',
  },
  {
    wentWell: 'Sign-offs arrived within a day; the checklist had no surprises.',
    wentWrong:
      'The security scan waiver was granted without an expiry that matched the fix date.',
    toChange: 'Tie every waiver expiry to the fix it waits for.',
    action: 'Review open waivers against their fix tickets',
  },
  {
    wentWell:
      'Monitoring dashboards were linked from the gate, so the watch was easy.',
    wentWrong:
      'The migration ran longer than the window; its duration was never measured in staging.',
    toChange: 'Measure migration time in staging and record it as evidence.',
    action: 'Publish migration timings from staging',
  },
];

/**
 * Four in five gates that ended (released, rolled back, NO-GO, cancelled)
 * get a debrief a day after their last change, as long as that is before
 * now: chosen by position, not by a random draw, so that the stories stay
 * the same. Each debrief has one follow-up for the team, due two weeks
 * later: done when due a month ago or more, and for two in three of the
 * rest, so that some are open and a few overdue.
 */
function recordDebrief(gate: GateLife, n: number, team: string, now: number) {
  if (!['released', 'rolled-back', 'no-go', 'cancelled'].includes(gate.state)) {
    return;
  }
  if (n % 5 === 4) return;
  const at = gate.updatedAt + DAY;
  if (at > now) return;
  const { action, ...text } = DEBRIEFS[n % DEBRIEFS.length];
  const due = at + 14 * DAY;
  const done = due < now - 30 * DAY || (n % 3 !== 0 && due < now);
  gate.debrief(gate.facilitator ?? gate.requestedBy, at, text, [
    {
      action,
      owner: team,
      dueDate: iso(due).slice(0, 10),
      ...(done ? { doneAt: Math.min(due - 2 * DAY, now) } : {}),
    },
  ]);
}
