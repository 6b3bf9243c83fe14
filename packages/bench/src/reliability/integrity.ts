/*
 * What "nothing half-written" means for a gate, checked from the outside.
 *
 * Every change of a gate is one transaction that changes the gate's rows,
 * bumps the gate's version by one and appends one event to its hash-chained
 * audit trail. So, whatever happened to the requests (lost races, killed
 * connections, a database restart), a gate read back must satisfy:
 *
 * - its audit chain verifies, recomputed here with the published
 *   `hashAuditEvent` as an auditor would, not by asking the server;
 * - its version equals the number of its audit events;
 * - it has exactly the items its `gate.open` event lists;
 * - each item's version is 1 + its `item.update` events, and its status is
 *   the last one's;
 * - it has one vote row per `signoff.vote` event, one decision per
 *   `decision.*` event (with the same state hash), and its state is the one
 *   the events lead to;
 * - the risk assessment's version is the number of `risk.update` events;
 * - no person has two live votes for one role.
 */
import { hashAuditEvent } from '@release-readiness/plugin-backend/internal';

export interface AuditEventJson {
  id: string;
  entityRef: string;
  gateId?: string;
  actor: string;
  action: string;
  before?: any;
  after?: any;
  at: string;
  prevHash?: string;
  hash?: string;
}

export interface GateJson {
  id: string;
  entityRef: string;
  release: string;
  state: string;
  version: number;
  items: { id: string; status: string; version: number; note?: string }[];
  votes: {
    id: string;
    role: string;
    voter: string;
    verdict: string;
    comment?: string;
    supersededAt?: string;
  }[];
  decisions: { verdict: string; reason: string; stateHash: string }[];
  risk?: { version: number; residualRisk?: { note?: string } };
}

/**
 * Recomputes a hash chain (events in the order written): each hash must match
 * the event's content and each `prevHash` the hash before it. Returns what is
 * wrong, or undefined.
 */
export function chainProblem(events: AuditEventJson[]): string | undefined {
  let previous: string | null = null;
  for (const [index, event] of events.entries()) {
    if (!event.hash) return `event ${index} (${event.action}) has no hash`;
    if ((event.prevHash ?? null) !== previous) {
      return `event ${index} (${event.action}) links to ${event.prevHash} instead of ${previous}`;
    }
    const recomputed = hashAuditEvent({
      prevHash: event.prevHash ?? null,
      entityRef: event.entityRef,
      gateId: event.gateId ?? null,
      actor: event.actor,
      action: event.action,
      before: event.before ?? null,
      after: event.after ?? null,
      at: event.at,
    });
    if (recomputed !== event.hash) {
      return `event ${index} (${event.action}) does not match its hash`;
    }
    previous = event.hash;
  }
  return undefined;
}

/** Every way in which the gate and its audit trail disagree; empty when whole. */
export function gateProblems(
  gate: GateJson,
  audit: AuditEventJson[],
): string[] {
  const problems: string[] = [];
  const say = (what: string) => problems.push(`gate ${gate.release}: ${what}`);

  const chain = chainProblem(audit);
  if (chain) say(`audit chain broken: ${chain}`);

  const opens = audit.filter(e => e.action.startsWith('gate.open'));
  if (opens.length !== 1 || audit[0]?.action !== opens[0]?.action) {
    say(`expected one gate.open event first, found ${opens.length}`);
  }
  if (gate.version !== audit.length) {
    say(`version ${gate.version} but ${audit.length} audit events`);
  }

  const openedItems: string[] = opens[0]?.after?.items ?? [];
  const itemIds = gate.items.map(i => i.id);
  if (JSON.stringify(openedItems) !== JSON.stringify(itemIds)) {
    say(
      `items ${itemIds.join(',')} differ from those opened: ${openedItems.join(
        ',',
      )}`,
    );
  }
  for (const item of gate.items) {
    const updates = audit.filter(
      e => e.action === 'item.update' && e.after?.itemId === item.id,
    );
    if (item.version !== updates.length + 1) {
      say(
        `item ${item.id} at version ${item.version} after ${updates.length} updates`,
      );
    }
    const lastStatus = updates.length
      ? updates[updates.length - 1].after.status
      : 'pending';
    if (item.status !== lastStatus) {
      say(
        `item ${item.id} is ${item.status}, its last update says ${lastStatus}`,
      );
    }
  }

  const voteEvents = audit.filter(e => e.action === 'signoff.vote');
  if (gate.votes.length !== voteEvents.length) {
    say(`${gate.votes.length} votes but ${voteEvents.length} vote events`);
  }
  const live = new Map<string, number>();
  for (const vote of gate.votes.filter(v => !v.supersededAt)) {
    const key = `${vote.role} ${vote.voter}`;
    live.set(key, (live.get(key) ?? 0) + 1);
  }
  for (const [key, count] of live) {
    if (count > 1) say(`${count} live votes for ${key}`);
  }
  const voters = new Set(gate.votes.map(v => `${v.role} ${v.voter}`));
  if (voters.size !== live.size) {
    say(
      `${voters.size} people voted, but only ${live.size} of them have a live vote`,
    );
  }

  const decisionEvents = audit.filter(e => e.action.startsWith('decision.'));
  if (gate.decisions.length !== decisionEvents.length) {
    say(
      `${gate.decisions.length} decisions but ${decisionEvents.length} decision events`,
    );
  }
  for (const decision of gate.decisions) {
    if (
      !decisionEvents.some(
        e =>
          e.action === `decision.${decision.verdict}` &&
          e.after?.stateHash === decision.stateHash,
      )
    ) {
      say(
        `decision ${decision.verdict} (${decision.reason}) has no audit event`,
      );
    }
  }
  let state = 'in-progress';
  for (const event of audit) {
    if (event.after?.state && event.before?.state !== undefined) {
      if (event.before.state !== state) {
        say(
          `${event.action} moved from ${event.before.state}, but the gate was ${state}`,
        );
      }
      state = event.after.state;
    }
  }
  if (gate.state !== state) {
    say(`state ${gate.state}, but the audit trail leads to ${state}`);
  }

  const riskEvents = audit.filter(e => e.action === 'risk.update');
  if ((gate.risk?.version ?? 0) !== riskEvents.length) {
    say(
      `risk at version ${gate.risk?.version ?? 0} after ${
        riskEvents.length
      } updates`,
    );
  }
  return problems;
}
