import { hashAuditEvent } from './chain';
import type { AuditEvent, DecisionAnchor } from './types';
import { verifyTrail } from './verifyTrail';

const GATE = '11111111-1111-4111-8111-111111111111';
const CHAIN = `gate:${GATE}`;
const PRIYA = 'user:default/priya';

/** A well-formed chain of the given steps, numbered from 1. */
function chainOf(
  steps: { action: string; before?: unknown; after?: unknown }[],
): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prevHash: string | undefined;
  steps.forEach((step, index) => {
    const content = {
      entityRef: 'component:default/payment-gateway',
      gateId: GATE,
      actor: PRIYA,
      action: step.action,
      ...(step.before !== undefined ? { before: step.before } : {}),
      ...(step.after !== undefined ? { after: step.after } : {}),
      at: new Date(Date.UTC(2026, 11, 5, 12, index)).toISOString(),
    };
    const hash = hashAuditEvent({ prevHash, ...content });
    events.push({
      id: String(index + 10),
      ...content,
      hash,
      ...(prevHash ? { prevHash } : {}),
      seq: index + 1,
    });
    prevHash = hash;
  });
  return events;
}

const decided = chainOf([
  { action: 'gate.open', after: { state: 'in-progress' } },
  { action: 'item.update', after: { itemId: 'a', status: 'passed' } },
  {
    action: 'decision.go',
    before: { state: 'in-progress' },
    after: { state: 'go', verdict: 'go', reason: 'All green' },
  },
]);

const decision = (overrides: Partial<DecisionAnchor> = {}): DecisionAnchor => ({
  id: 'd1',
  verdict: 'go',
  reason: 'All green',
  decidedBy: PRIYA,
  at: decided[2].at,
  headSeq: 3,
  headHash: decided[2].hash,
  ...overrides,
});

const head = (events: AuditEvent[]) => ({
  chain: CHAIN,
  seq: events.length,
  hash: events[events.length - 1].hash!,
});

describe('verifyTrail', () => {
  it('is intact when the chain and every anchor agree', () => {
    expect(
      verifyTrail(CHAIN, decided, {
        head: head(decided),
        decisions: [decision()],
        gateState: 'go',
      }),
    ).toEqual({ intact: true, chain: CHAIN, events: 3, head: head(decided) });
    expect(verifyTrail(CHAIN, [], {})).toEqual({
      intact: true,
      chain: CHAIN,
      events: 0,
      head: null,
    });
  });

  it('finds a seq that skips, and an event without one', () => {
    const skipped = decided.map((e, i) => (i === 2 ? { ...e, seq: 4 } : e));
    expect(verifyTrail(CHAIN, skipped, { head: head(decided) })).toMatchObject({
      intact: false,
      firstBroken: { seq: 3, id: '12', record: 'audit_events' },
    });
    const { seq: _seq, ...unnumbered } = decided[1];
    const result = verifyTrail(CHAIN, [decided[0], unnumbered, decided[2]], {
      head: head(decided),
    });
    expect(result).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 2,
        reason: expect.stringContaining('has no seq'),
      },
    });
  });

  it('finds a chain with events but no anchored head', () => {
    expect(verifyTrail(CHAIN, decided, {})).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, record: 'audit_heads' },
    });
  });

  it('finds a head whose hash differs at its seq: a rewritten trail', () => {
    expect(
      verifyTrail(CHAIN, decided, {
        head: { chain: CHAIN, seq: 2, hash: 'f'.repeat(64) },
      }),
    ).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 2,
        id: '11',
        record: 'audit_heads',
        reason: expect.stringContaining('the trail was rewritten'),
      },
    });
  });

  it('finds a decision row nobody anchored, and a decision event with no row', () => {
    const unanchored = verifyTrail(CHAIN, decided, {
      head: head(decided),
      decisions: [
        decision(),
        decision({ id: 'd2', headSeq: undefined, headHash: undefined }),
      ],
    });
    expect(unanchored).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 4,
        record: 'decisions',
        reason: expect.stringContaining('decision d2'),
      },
    });
    const rowless = verifyTrail(CHAIN, decided, {
      head: head(decided),
      decisions: [],
    });
    expect(rowless).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 3,
        id: '12',
        record: 'decisions',
        reason: expect.stringContaining('no decisions row anchors'),
      },
    });
  });

  it('finds a decision row whose verdict or author was changed', () => {
    const result = verifyTrail(CHAIN, decided, {
      head: head(decided),
      decisions: [decision({ verdict: 'no-go', decidedBy: 'user:default/x' })],
    });
    expect(result).toMatchObject({
      intact: false,
      firstBroken: { seq: 3, record: 'decisions' },
    });
    expect(result).toMatchObject({
      firstBroken: {
        reason: expect.stringMatching(
          /the row says no-go.*the row says decided by user:default\/x/,
        ),
      },
    });
  });

  it('compares verdict and author only for a decision recorded before reasons were hashed', () => {
    const legacy = chainOf([
      { action: 'gate.open', after: { release: '1.0.0' } },
      {
        action: 'decision.no-go',
        before: { state: 'in-progress' },
        after: { state: 'no-go', stateHash: 'e'.repeat(64) },
      },
    ]);
    const anchors = {
      head: head(legacy),
      gateState: 'no-go',
      decisions: [
        decision({
          verdict: 'no-go',
          reason: 'any reason',
          headSeq: 2,
          headHash: legacy[1].hash,
        }),
      ],
    };
    expect(verifyTrail(CHAIN, legacy, anchors).intact).toBe(true);
    // A gate opened before its open event named the state is in progress.
    expect(
      verifyTrail(CHAIN, legacy.slice(0, 1), {
        head: head(legacy.slice(0, 1)),
        gateState: 'in-progress',
      }).intact,
    ).toBe(true);
  });

  it('reports a chain problem first, even when a row disagrees earlier', () => {
    const result = verifyTrail(CHAIN, decided, {
      head: { chain: CHAIN, seq: 5, hash: 'f'.repeat(64) },
      decisions: [decision()],
      gateState: 'released',
    });
    expect(result).toMatchObject({
      intact: false,
      firstBroken: { seq: 4, record: 'audit_heads' },
    });
    expect(result).toMatchObject({
      problems: [
        { seq: 3, record: 'gates' },
        { seq: 4, record: 'audit_heads' },
      ],
    });
  });
});
