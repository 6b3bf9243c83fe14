import { createHash } from 'node:crypto';
import type { AuditEvent } from './types';
import { canonicalJson, chainKey, hashAuditEvent, verifyChain } from './chain';

const ENTITY = 'component:default/payment-gateway';
const GATE = '0b7c2f8e-5d1a-4f3e-9c6b-2a1d4e5f6a7b';

type Draft = Omit<AuditEvent, 'hash' | 'prevHash' | 'entityRef' | 'gateId'> &
  Partial<Pick<AuditEvent, 'entityRef' | 'gateId'>>;

/** A chain of events hashed as the store writes them. */
function chain(drafts: Draft[]): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const draft of drafts) {
    const previous = events[events.length - 1];
    const event: AuditEvent = {
      entityRef: ENTITY,
      gateId: GATE,
      ...draft,
      ...(previous ? { prevHash: previous.hash } : {}),
    };
    event.hash = hashAuditEvent(event);
    events.push(event);
  }
  return events;
}

const TRAIL: Draft[] = [
  {
    id: '1',
    actor: 'user:default/priya',
    action: 'gate.open',
    after: { release: '1.4.0', items: ['manual-qa', 'unit-tests'] },
    at: '2026-11-27T12:00:00.000Z',
  },
  {
    id: '2',
    actor: 'user:default/quinn',
    action: 'item.update',
    before: { itemId: 'manual-qa', status: 'pending' },
    after: { itemId: 'manual-qa', status: 'passed', note: 'Done' },
    at: '2026-11-27T12:01:00.000Z',
  },
  {
    id: '5',
    actor: 'user:default/quinn',
    action: 'signoff.vote',
    after: { role: 'qa', verdict: 'ready' },
    at: '2026-11-27T12:02:00.000Z',
  },
  {
    id: '9',
    actor: 'user:default/sam',
    action: 'decision.no-go',
    before: { state: 'in-progress' },
    after: { state: 'no-go', stateHash: 'e'.repeat(64) },
    at: '2026-11-27T12:03:00.000Z',
  },
];

describe('canonicalJson', () => {
  it('sorts object keys at every depth and leaves arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,1]},"b":1}',
    );
  });

  it('drops undefined object values and writes absent values as null', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson([undefined, null, 1])).toBe('[null,null,1]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('is JSON that parses back to the same value', () => {
    const value = { s: 'quote " and \\ and ü', n: -1.5, t: true, e: [] };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('hashAuditEvent', () => {
  const event = {
    prevHash: 'a'.repeat(64),
    entityRef: ENTITY,
    gateId: GATE,
    actor: 'user:default/priya',
    action: 'item.update',
    before: { status: 'pending', itemId: 'manual-qa' },
    after: { itemId: 'manual-qa', status: 'passed' },
    at: '2026-11-27T12:00:00.000Z',
  };

  it('is the SHA-256 of the canonical JSON of the event', () => {
    const expected = createHash('sha256')
      .update(
        '{"action":"item.update","actor":"user:default/priya",' +
          '"after":{"itemId":"manual-qa","status":"passed"},' +
          `"at":"2026-11-27T12:00:00.000Z",` +
          '"before":{"itemId":"manual-qa","status":"pending"},' +
          `"entityRef":"${ENTITY}","gateId":"${GATE}",` +
          `"prevHash":"${'a'.repeat(64)}"}`,
      )
      .digest('hex');

    expect(hashAuditEvent(event)).toBe(expected);
    expect(hashAuditEvent(event)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of keys', () => {
    const reordered = {
      at: event.at,
      after: { status: 'passed', itemId: 'manual-qa' },
      before: { itemId: 'manual-qa', status: 'pending' },
      action: event.action,
      actor: event.actor,
      gateId: event.gateId,
      entityRef: event.entityRef,
      prevHash: event.prevHash,
    };
    expect(hashAuditEvent(reordered)).toBe(hashAuditEvent(event));
  });

  it('treats absent and null alike', () => {
    const { before: _before, prevHash: _prev, ...rest } = event;
    expect(hashAuditEvent({ ...rest, before: null, prevHash: null })).toBe(
      hashAuditEvent(rest),
    );
    expect(hashAuditEvent({ ...rest, gateId: undefined })).toBe(
      hashAuditEvent({ ...rest, gateId: null }),
    );
  });

  it.each([
    ['prevHash', 'b'.repeat(64)],
    ['entityRef', 'component:default/ledger'],
    ['gateId', 'another-gate'],
    ['actor', 'user:default/mallory'],
    ['action', 'item.delete'],
    ['before', { status: 'failed', itemId: 'manual-qa' }],
    ['after', { itemId: 'manual-qa', status: 'waived' }],
    ['at', '2026-11-27T12:00:00.001Z'],
  ])('changes when %s changes', (field, value) => {
    expect(hashAuditEvent({ ...event, [field]: value })).not.toBe(
      hashAuditEvent(event),
    );
  });
});

describe('chainKey', () => {
  it('chains events per gate, and per entity when there is no gate', () => {
    expect(chainKey({ entityRef: ENTITY, gateId: GATE })).toBe(`gate:${GATE}`);
    expect(chainKey({ entityRef: ENTITY })).toBe(`entity:${ENTITY}`);
    expect(chainKey({ entityRef: ENTITY, gateId: null })).toBe(
      `entity:${ENTITY}`,
    );
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    const events = chain(TRAIL);
    expect(events[0].prevHash).toBeUndefined();
    expect(events[1].prevHash).toBe(events[0].hash);

    expect(verifyChain(events)).toEqual({ ok: true, events: 4 });
    expect(verifyChain([])).toEqual({ ok: true, events: 0 });
  });

  it('names the event whose content was changed', () => {
    const events = chain(TRAIL);
    events[1] = {
      ...events[1],
      after: { itemId: 'manual-qa', status: 'failed', note: 'Done' },
    };

    expect(verifyChain(events)).toEqual({
      ok: false,
      events: 4,
      firstBroken: {
        id: '2',
        action: 'item.update',
        at: '2026-11-27T12:01:00.000Z',
        reason: expect.stringMatching(/^the hash does not match the content/),
      },
    });
  });

  it('finds a changed event even when its hash was recomputed', () => {
    const events = chain(TRAIL);
    const forged = { ...events[1], actor: 'user:default/mallory' };
    forged.hash = hashAuditEvent(forged);
    events[1] = forged;

    const result = verifyChain(events);

    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({
      id: '5',
      action: 'signoff.vote',
      reason: expect.stringMatching(
        /^prev_hash does not match the previous event #2/,
      ),
    });
  });

  it('finds a removed event', () => {
    const events = chain(TRAIL);
    events.splice(2, 1);

    expect(verifyChain(events)).toMatchObject({
      ok: false,
      events: 3,
      firstBroken: {
        id: '9',
        reason: expect.stringMatching(/^prev_hash does not match/),
      },
    });
  });

  it('finds the removal of the first event', () => {
    const events = chain(TRAIL).slice(1);

    expect(verifyChain(events).firstBroken).toMatchObject({
      id: '2',
      reason: expect.stringMatching(/first event of the chain/),
    });
  });

  it('finds events swapped in place', () => {
    const events = chain(TRAIL);
    [events[1], events[2]] = [events[2], events[1]];

    expect(verifyChain(events).firstBroken).toMatchObject({ id: '5' });
  });

  it('finds an event without a hash', () => {
    const events = chain(TRAIL);
    const { hash: _hash, ...unhashed } = events[3];
    events[3] = unhashed;

    expect(verifyChain(events).firstBroken).toMatchObject({
      id: '9',
      action: 'decision.no-go',
      reason: expect.stringMatching(/no hash/),
    });
  });

  it('verifies what the JSON of the events says', () => {
    const events = JSON.parse(JSON.stringify(chain(TRAIL)));
    expect(verifyChain(events)).toEqual({ ok: true, events: 4 });
  });
});
