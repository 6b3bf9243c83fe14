import {
  allowedGateActions,
  canOpenNextGate,
  gateClosedReason,
  GATE_STATES,
  gateStateLabel,
  GATE_TRANSITIONS,
  isGateEditable,
} from './gateLifecycle';

describe('the gate lifecycle', () => {
  it('offers each state the decisions and moves of DESIGN.md', () => {
    expect(
      Object.fromEntries(GATE_STATES.map(s => [s, allowedGateActions(s)])),
    ).toEqual({
      'in-progress': ['go', 'no-go', 'cancel'],
      go: ['release', 'cancel'],
      'no-go': ['reopen', 'cancel'],
      released: ['rollback'],
      'rolled-back': [],
      cancelled: [],
    });
  });

  it('moves only forward, and cancels only before release', () => {
    expect(GATE_TRANSITIONS.cancel.from).not.toContain('released');
    expect(GATE_TRANSITIONS.reopen).toEqual({
      from: ['no-go'],
      to: 'in-progress',
    });
  });

  it('takes edits only while in progress or NO-GO, and says why not', () => {
    expect(GATE_STATES.filter(isGateEditable)).toEqual([
      'in-progress',
      'no-go',
    ]);
    expect(gateClosedReason({ state: 'no-go', release: '1.0.0' })).toBe(
      undefined,
    );
    expect(gateClosedReason({ state: 'rolled-back', release: '1.0.0' })).toBe(
      'The gate for release 1.0.0 is rolled back; its checklist, sign-offs and risk assessment are closed',
    );
  });

  it('opens the next gate only when the newest one is over', () => {
    expect(GATE_STATES.filter(canOpenNextGate)).toEqual([
      'released',
      'rolled-back',
      'cancelled',
    ]);
    expect(canOpenNextGate(undefined)).toBe(true);
  });

  it('names every state, and no gate', () => {
    expect(GATE_STATES.map(gateStateLabel)).toEqual([
      'In progress',
      'GO',
      'NO-GO',
      'Released',
      'Rolled back',
      'Cancelled',
    ]);
    expect(gateStateLabel(undefined)).toBe('No gate');
  });
});
