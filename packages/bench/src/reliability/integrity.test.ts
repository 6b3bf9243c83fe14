/*
 * The checks of integrity.ts find what they are meant to find: a gate built
 * the way the backend writes one passes, and each kind of half-written or
 * tampered gate fails with its own message. (The replica and fault tests rely
 * on these checks; they must be able to fail.)
 */
import { hashAuditEvent } from '@release-readiness/plugin-backend/internal';
import {
  AuditEventJson,
  chainProblem,
  GateJson,
  gateProblems,
} from './integrity';

const GATE = 'g-1';
const ENTITY = 'component:default/payout-service';

/** Appends events as the backend does: each hashed and linked to the last. */
function chain(
  events: Omit<
    AuditEventJson,
    'id' | 'entityRef' | 'gateId' | 'hash' | 'prevHash'
  >[],
): AuditEventJson[] {
  const out: AuditEventJson[] = [];
  for (const [i, e] of events.entries()) {
    const prevHash = out[i - 1]?.hash;
    const event = { ...e, id: String(i + 1), entityRef: ENTITY, gateId: GATE };
    const hash = hashAuditEvent({ ...event, prevHash: prevHash ?? null });
    out.push({ ...event, ...(prevHash ? { prevHash } : {}), hash });
  }
  return out;
}

const at = (s: number) =>
  new Date(Date.UTC(2026, 10, 27, 12, 0, s)).toISOString();

function whole(): { gate: GateJson; audit: AuditEventJson[] } {
  const audit = chain([
    {
      actor: 'user:default/priya-raman',
      action: 'gate.open',
      after: { items: ['a', 'b'] },
      at: at(0),
    },
    {
      actor: 'user:default/priya-raman',
      action: 'item.update',
      before: { itemId: 'a', status: 'pending' },
      after: { itemId: 'a', status: 'passed', note: 'n1' },
      at: at(1),
    },
    {
      actor: 'user:default/nadia-haddad',
      action: 'signoff.vote',
      after: { role: 'qa', verdict: 'ready', comment: 'v1' },
      at: at(2),
    },
    {
      actor: 'user:default/nadia-haddad',
      action: 'signoff.vote',
      before: { role: 'qa', verdict: 'ready' },
      after: { role: 'qa', verdict: 'not-ready', comment: 'v2' },
      at: at(3),
    },
    {
      actor: 'user:default/priya-raman',
      action: 'decision.no-go',
      before: { state: 'in-progress' },
      after: { state: 'no-go', stateHash: 'h1' },
      at: at(4),
    },
    {
      actor: 'user:default/priya-raman',
      action: 'gate.in-progress',
      before: { state: 'no-go' },
      after: { state: 'in-progress', reason: 'fixed' },
      at: at(5),
    },
  ]);
  const gate: GateJson = {
    id: GATE,
    entityRef: ENTITY,
    release: '1.0.0',
    state: 'in-progress',
    version: 6,
    items: [
      { id: 'a', status: 'passed', version: 2 },
      { id: 'b', status: 'pending', version: 1 },
    ],
    votes: [
      {
        id: 'v1',
        role: 'qa',
        voter: 'user:default/nadia-haddad',
        verdict: 'ready',
        supersededAt: at(3),
      },
      {
        id: 'v2',
        role: 'qa',
        voter: 'user:default/nadia-haddad',
        verdict: 'not-ready',
      },
    ],
    decisions: [{ verdict: 'no-go', reason: 'not yet', stateHash: 'h1' }],
  };
  return { gate, audit };
}

describe('gateProblems', () => {
  it('finds nothing wrong with a whole gate', () => {
    const { gate, audit } = whole();
    expect(gateProblems(gate, audit)).toEqual([]);
  });

  it.each<[string, (g: GateJson, a: AuditEventJson[]) => void, RegExp]>([
    [
      'a change without its audit event',
      g => {
        g.version += 1;
      },
      /version 7 but 6 audit events/,
    ],
    [
      'a gate without one of its items',
      g => {
        g.items.pop();
      },
      /differ from those opened/,
    ],
    [
      'an item edit without its event',
      g => {
        g.items[1].version = 2;
      },
      /item b at version 2 after 0 updates/,
    ],
    [
      'an item whose status is not its last edit',
      g => {
        g.items[0].status = 'failed';
      },
      /item a is failed/,
    ],
    [
      'two live votes of one person for one role',
      g => {
        delete g.votes[0].supersededAt;
      },
      /2 live votes for qa user:default\/nadia-haddad/,
    ],
    [
      'a decision without its event',
      g => {
        g.decisions[0].stateHash = 'other';
      },
      /decision no-go .* has no audit event/,
    ],
    [
      'a state the trail does not lead to',
      g => {
        g.state = 'no-go';
      },
      /state no-go, but the audit trail leads to in-progress/,
    ],
    [
      'a risk assessment without its events',
      g => {
        g.risk = { version: 1 };
      },
      /risk at version 1 after 0 updates/,
    ],
    [
      'an event changed after it was written',
      (_g, a) => {
        a[2].after.verdict = 'not-ready';
      },
      /audit chain broken: event 2 \(signoff.vote\) does not match its hash/,
    ],
    [
      'an event removed from the trail',
      (g, a) => {
        a.splice(1, 1);
        g.version -= 1;
        g.items[0].version = 1;
        g.items[0].status = 'pending';
      },
      /links to/,
    ],
  ])('finds %s', (_, corrupt, message) => {
    const { gate, audit } = whole();
    corrupt(gate, audit);
    const problems = gateProblems(gate, audit);
    expect(problems.join('\n')).toMatch(message);
  });
});

describe('chainProblem', () => {
  it('accepts an empty chain and a valid one', () => {
    expect(chainProblem([])).toBeUndefined();
    expect(chainProblem(whole().audit)).toBeUndefined();
  });

  it('rejects an event without a hash', () => {
    const { audit } = whole();
    delete audit[0].hash;
    expect(chainProblem(audit)).toMatch(/has no hash/);
  });
});
