/*
 * What each gate lives through before the end of the history. Its stages are
 * spread over its lead time: CI evidence and checklist items, a NO-GO when
 * the gate catches a problem, the sign-offs and the GO, the release, and
 * sometimes an incident or a rollback after it. How often a team's gates are
 * caught or cause incidents, and how long they take, is the team's
 * temperament, drawn from the seed. The steps themselves are GateLife's
 * (gateLife.ts).
 */
import { createHash } from 'node:crypto';
import {
  governanceOf,
  waiverApproversFor,
} from '@release-readiness/plugin-common';
import type { GateState, GateTemplate } from '@release-readiness/plugin-common';
import { Random } from '../random';
import { DAY, GateLife, HOUR, iso } from './gateLife';
import { Rows } from './rows';
import type { HistoryOptions, HistorySummary, People } from './types';

/**
 * The demo's planted pattern (issue 18): user acceptance is waived in about
 * three releases in ten, and a release whose acceptance was waived is
 * followed by a sev2 incident within five days in about half of the cases,
 * against a few in a hundred otherwise; the insights page should find it,
 * and no other item.
 */
export const PLANTED_ITEM = 'user-acceptance';

/**
 * A number in [0, 1) from a key, the same each time: the planted pattern's
 * draws, taken apart from the random stream so that every other story of
 * the history stays as it was.
 */
function draw(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** A UUID-shaped id from a key, the same each time. */
function uuidOf(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
/** How a team's gates go. */
export interface Temperament {
  leadMedianMs: number;
  noGoRate: number;
  incidentRate: number;
}

function stableNumber(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Where a gate stands when it opens, as its entity's schedule set it. */
export interface GateSetting {
  /** The entity's owner team and its members. */
  team: string;
  members: string[];
  /** Who opened the gate. */
  requester: string;
  /** Whether this is the entity's current gate, whose fate is any state. */
  isCurrent: boolean;
  /** From the gate's opening to its GO. */
  leadMs: number;
}

/**
 * Tells the story of each gate of the history: who acts on it, what happens
 * to it and when. It counts the GO lead times, releases and incidents in the
 * summary.
 */
export class GateStoryteller {
  private readonly temperaments = new Map<string, Temperament>();
  private readonly ci: string;
  private readonly end: number;
  private readonly releaseManagers: string[];

  constructor(
    private readonly random: Random,
    private readonly people: People,
    private readonly options: HistoryOptions,
    private readonly summary: HistorySummary,
  ) {
    this.ci = options.ciPrincipal ?? 'external:ci';
    this.end = options.now.getTime();
    this.releaseManagers = people.byGroup.get(
      'group:default/release-management',
    ) ?? ['user:default/release-manager'];
  }

  /** A team's temperament, drawn from the seed and the team's name. */
  temperamentOf(team: string): Temperament {
    let t = this.temperaments.get(team);
    if (!t) {
      const r = new Random(this.options.seed ^ stableNumber(team));
      t = {
        leadMedianMs: r.int(24, 192) * HOUR,
        noGoRate: r.int(5, 40) / 100,
        incidentRate: r.int(2, 25) / 100,
      };
      this.temperaments.set(team, t);
    }
    return t;
  }

  /** Who votes for a role of this gate. */
  private voterFor(
    role: GateTemplate['signoffs']['roles'][number],
    team: string,
    requester: string,
  ): { voter: string; claims: string[] } | undefined {
    const { people, random } = this;
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
  }

  /**
   * Lives the gate through to its fate, writing its CI evidence and any
   * incident into `rows` (the gate's own rows are GateLife's).
   */
  tell(gate: GateLife, rows: Rows, setting: GateSetting): void {
    const { random, summary, ci, end, releaseManagers } = this;
    const { team, members, requester, isCurrent, leadMs } = setting;
    const { template, openedAt } = gate;
    const temperament = this.temperamentOf(team);

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
    // Governance: a rapid gate says why and waits for release management,
    // who approve it soon after it opens (never its requester).
    if (template.rapid) {
      gate.approveTemplateChoice(
        'Expedited: the service opts in to rapid releases by its annotation',
        governanceOf(template).templateApprovers,
        releaseManagers.find(m => m !== requester) ?? releaseManagers[0],
        at(0.02),
      );
    }

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
          entity_ref: gate.entityRef,
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
        if (
          item.definition.id === PLANTED_ITEM &&
          draw(`${gate.id}:waive`) < 0.3
        ) {
          status = 'waived';
        }
        // Governance: a waiver of a required security or compliance item
        // counts once that role approves it; without anyone in the role,
        // the item is passed instead.
        const approvers =
          status === 'waived'
            ? waiverApproversFor(item.definition, governanceOf(template))
            : undefined;
        const approvedBy = approvers
          ? this.people.byGroup.get(approvers[0])?.find(p => p !== owner)
          : undefined;
        if (approvers && !approvedBy) status = 'passed';
        gate.markItem(
          index,
          status,
          owner,
          when,
          approvers && approvedBy ? { approvers, approvedBy } : undefined,
        );
      });
    };
    const voteAll = (fraction: number) => {
      for (const role of template.signoffs.roles) {
        // Whoever said Not ready confirms the fix, or the GO could not be.
        const objector = gate.votes.find(
          v =>
            v.role === role.id && !v.supersededAt && v.verdict === 'not-ready',
        );
        const who = objector
          ? { voter: objector.voter, claims: objector.claims }
          : this.voterFor(role, team, requester);
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
        const who = role && this.voterFor(role, team, requester);
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
        const who = role && this.voterFor(role, team, requester);
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
              entity_ref: gate.entityRef,
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
          const planted = gate.items.find(
            i => i.definition.id === PLANTED_ITEM,
          );
          if (
            planted?.status === 'waived' &&
            draw(`${gate.id}:incident`) < 0.55
          ) {
            const occurred = Math.min(
              end,
              releasedAt + Math.round((1 + 4 * draw(`${gate.id}:when`)) * DAY),
            );
            summary.incidents += 1;
            rows.incidents.push({
              id: uuidOf(`${gate.id}:incident`),
              entity_ref: gate.entityRef,
              release: gate.release,
              severity: 'sev2',
              title: 'Checkout errors for some customers after release',
              link: null,
              occurred_at: iso(occurred),
              reported_by: owner,
              reported_at: iso(Math.min(end, occurred + HOUR)),
            });
          }
        }
      }
    }
  }
}
