/*
 * Verifying a chain against itself and against its anchors.
 *
 * The hash chain alone (`verifyChain`) finds an event that was changed,
 * removed or inserted in the middle. It cannot see a tail that was cut off,
 * nor events appended at the end by someone who computes the hashes the same
 * way (the algorithm is public: it is in every dossier). Those need anchors
 * written outside `audit_events`:
 *
 * - `audit_heads`: the seq and hash of each chain's last event, written in the
 *   transaction that appends it. Fewer events than the head's seq is a lost
 *   tail; more is a forged tail; a different hash at that seq is a rewrite.
 * - the decisions rows: each keeps the head of the gate's chain when it was
 *   recorded (its own event), so a tail cut back past a decision, or a chain
 *   rewritten before it, disagrees with the decision even when `audit_heads`
 *   was edited too. A decision's verdict, author and reason must be the ones
 *   its hashed event holds, so editing a decision row is seen too.
 * - the `gates` row: its state must be the state the chain's last state
 *   change left it in.
 * - Backstage auditor events `audit-chain-head` (in the logs, outside this
 *   database): an auditor compares them with `head` by hand; they catch a
 *   rewrite of the events *and* of every anchor stored here.
 */
import { verifyChain } from './chain';
import type {
  AuditEvent,
  DecisionAnchor,
  TrailAnchors,
  TrailProblem,
  TrailVerification,
} from './types';

/** The state a gate's event leaves the gate in, if it changes it. */
export function stateAfter(event: AuditEvent): string | undefined {
  const after = event.after as { state?: unknown } | undefined;
  if (after && typeof after === 'object' && typeof after.state === 'string') {
    return after.state;
  }
  // Gates opened before their open event named the state.
  if (event.action === 'gate.open' || event.action === 'gate.open-rapid') {
    return 'in-progress';
  }
  return undefined;
}

/** The seq of an event: stored, or its position for one without. */
function seqOf(events: AuditEvent[], index: number) {
  return events[index].seq ?? index + 1;
}

function chainProblems(events: AuditEvent[]): TrailProblem[] {
  const problems: TrailProblem[] = [];
  const chain = verifyChain(events);
  if (!chain.ok && chain.firstBroken) {
    const index = events.findIndex(e => e.id === chain.firstBroken!.id);
    problems.push({
      seq: seqOf(events, index),
      id: chain.firstBroken.id,
      reason: chain.firstBroken.reason,
      record: 'audit_events',
    });
  }
  const wrongSeq = events.findIndex((e, i) => e.seq !== i + 1);
  if (wrongSeq >= 0) {
    const event = events[wrongSeq];
    problems.push({
      seq: wrongSeq + 1,
      id: event.id,
      reason:
        event.seq === undefined
          ? `the event has no seq: it was written outside the plugin`
          : `the event has seq ${event.seq} where ${
              wrongSeq + 1
            } comes next: an event was removed or inserted`,
      record: 'audit_events',
    });
  }
  return problems;
}

/** Checks that the event at `seq` is the one an anchor names. */
function anchorProblem(
  events: AuditEvent[],
  anchor: { seq: number; hash: string },
  what: string,
  record: TrailProblem['record'],
): TrailProblem | undefined {
  if (anchor.seq > events.length) {
    return {
      seq: events.length + 1,
      reason: `the chain ends at seq ${events.length}, but ${what} anchors seq ${anchor.seq} (hash ${anchor.hash}): events were removed from the end of the trail`,
      record,
    };
  }
  const event = events[anchor.seq - 1];
  if (event.hash !== anchor.hash) {
    return {
      seq: anchor.seq,
      id: event.id,
      reason: `${what} anchors hash ${anchor.hash} at seq ${anchor.seq}, but the event there has hash ${event.hash}: the trail was rewritten`,
      record,
    };
  }
  return undefined;
}

/**
 * Problems of the chain itself (an anchor it fails) and of the decisions
 * rows (content that disagrees with their events).
 */
function decisionProblems(
  events: AuditEvent[],
  decisions: DecisionAnchor[],
): { chain: TrailProblem[]; rows: TrailProblem[] } {
  const chain: TrailProblem[] = [];
  const rows: TrailProblem[] = [];
  const anchored = new Set<number>();
  for (const decision of decisions) {
    const what = `decision ${
      decision.id
    } (${decision.verdict.toUpperCase()} by ${decision.decidedBy})`;
    if (decision.headSeq === undefined || !decision.headHash) {
      rows.push({
        seq: events.length + 1,
        reason: `${what} names no event of the chain: the decision row was written outside the plugin`,
        record: 'decisions',
      });
      continue;
    }
    const anchor = anchorProblem(
      events,
      { seq: decision.headSeq, hash: decision.headHash },
      what,
      'decisions',
    );
    if (anchor) {
      chain.push(anchor);
      continue;
    }
    anchored.add(decision.headSeq);
    const event = events[decision.headSeq - 1];
    const after = (event.after ?? {}) as { reason?: unknown };
    const mismatch: string[] = [];
    if (event.action !== `decision.${decision.verdict}`) {
      mismatch.push(
        `the row says ${decision.verdict}, the event is ${event.action}`,
      );
    }
    if (event.actor !== decision.decidedBy) {
      mismatch.push(
        `the row says decided by ${decision.decidedBy}, the event by ${event.actor}`,
      );
    }
    // Decisions recorded before the reason was hashed have none to compare.
    if (after.reason !== undefined && after.reason !== decision.reason) {
      mismatch.push(
        `the row's reason ${JSON.stringify(
          decision.reason,
        )} is not the hashed reason ${JSON.stringify(after.reason)}`,
      );
    }
    if (mismatch.length) {
      rows.push({
        seq: decision.headSeq,
        id: event.id,
        reason: `${what} disagrees with its hashed event: ${mismatch.join(
          '; ',
        )}. The decisions row was edited`,
        record: 'decisions',
      });
    }
  }
  events.forEach((event, index) => {
    if (event.action.startsWith('decision.') && !anchored.has(index + 1)) {
      rows.push({
        seq: index + 1,
        id: event.id,
        reason: `the event records a ${event.action
          .slice('decision.'.length)
          .toUpperCase()} decision that no decisions row anchors: the row was removed, or the event forged`,
        record: 'decisions',
      });
    }
  });
  return { chain, rows };
}

function gateStateProblem(
  events: AuditEvent[],
  gateState: string,
): TrailProblem | undefined {
  for (let index = events.length - 1; index >= 0; index--) {
    const state = stateAfter(events[index]);
    if (state !== undefined) {
      return state === gateState
        ? undefined
        : {
            seq: index + 1,
            id: events[index].id,
            reason: `the gates row says the gate is ${gateState}, but the chain's last state change (seq ${
              index + 1
            }, ${
              events[index].action
            }) left it ${state}: the gates row was edited`,
            record: 'gates',
          };
    }
  }
  return {
    seq: 1,
    reason: `the gates row says the gate is ${gateState}, but the chain holds no state change: its events were removed`,
    record: 'gates',
  };
}

/**
 * Verifies one chain, given in the order written, against its anchors.
 * Reports every problem found, by seq, and the first broken point: the
 * first problem of the chain itself (hashes, links, seq, anchors), or else
 * the first row (gates, decisions) that disagrees with the chain — a row is
 * only worth comparing with a chain that holds.
 */
export function verifyTrail(
  chain: string,
  events: AuditEvent[],
  anchors: TrailAnchors,
): TrailVerification {
  const ofChain = chainProblems(events);
  const ofRows: TrailProblem[] = [];
  if (anchors.head) {
    const head = anchorProblem(
      events,
      anchors.head,
      'audit_heads',
      'audit_heads',
    );
    if (head) ofChain.push(head);
    else if (events.length > anchors.head.seq) {
      const forged = events[anchors.head.seq];
      ofChain.push({
        seq: anchors.head.seq + 1,
        id: forged.id,
        reason: `the chain's anchored head is seq ${anchors.head.seq}, but ${
          events.length - anchors.head.seq
        } event(s) follow it: they were appended outside the plugin`,
        record: 'audit_heads',
      });
    }
  } else if (events.length) {
    ofChain.push({
      seq: 1,
      id: events[0].id,
      reason: 'the chain has events but no anchored head in audit_heads',
      record: 'audit_heads',
    });
  }
  if (anchors.decisions) {
    const found = decisionProblems(events, anchors.decisions);
    ofChain.push(...found.chain);
    ofRows.push(...found.rows);
  }
  if (anchors.gateState !== undefined) {
    const state = gateStateProblem(events, anchors.gateState);
    if (state) ofRows.push(state);
  }
  if (!ofChain.length && !ofRows.length) {
    const last = events[events.length - 1];
    return {
      intact: true,
      chain,
      events: events.length,
      head: last ? { chain, seq: events.length, hash: last.hash! } : null,
    };
  }
  const bySeq = (a: TrailProblem, b: TrailProblem) => a.seq - b.seq;
  const first = [...(ofChain.length ? ofChain : ofRows)].sort(bySeq)[0];
  return {
    intact: false,
    chain,
    events: events.length,
    firstBroken: first,
    problems: [...ofChain, ...ofRows].sort(bySeq),
  };
}
