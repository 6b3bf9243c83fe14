import { GATE_STATES } from './gateLifecycle';
import {
  FINAL_GATE_STATES,
  gateOutcome,
  isFinalGateState,
  outcomeNumbers,
} from './gateOutcome';

describe('gateOutcome', () => {
  it('shows a rolled-back release as rolled back, never as a verdict with a score', () => {
    const outcome = gateOutcome({
      state: 'rolled-back',
      verdict: 'NO-GO',
      release: '2.0.0',
    });
    expect(outcome).toEqual({
      final: true,
      label: 'Rolled back',
      kind: 'rolled-back',
      showsEvaluation: false,
      sentence:
        'Release 2.0.0 went out and was rolled back; its gate is closed.',
    });
  });

  it('shows a released gate as released, without blockers to act on', () => {
    const outcome = gateOutcome({ state: 'released', verdict: 'GO' });
    expect(outcome.label).toBe('Released');
    expect(outcome.showsEvaluation).toBe(false);
    expect(outcome.sentence).not.toMatch(/pipeline|blocker/i);
  });

  it('shows a cancelled gate as cancelled', () => {
    expect(gateOutcome({ state: 'cancelled', verdict: 'NO-GO' }).label).toBe(
      'Cancelled',
    );
  });

  it('shows an open gate by its verdict, with its evaluation', () => {
    for (const [state, verdict] of [
      ['in-progress', 'IN PROGRESS'],
      ['go', 'GO'],
      ['no-go', 'NO-GO'],
    ] as const) {
      const outcome = gateOutcome({ state, verdict });
      expect(outcome).toMatchObject({
        final: false,
        label: verdict,
        kind: verdict,
        showsEvaluation: true,
      });
    }
  });

  it('names exactly the states no move but a rollback leaves as final', () => {
    expect(GATE_STATES.filter(isFinalGateState)).toEqual(FINAL_GATE_STATES);
    expect(FINAL_GATE_STATES).toEqual(['released', 'rolled-back', 'cancelled']);
    expect(isFinalGateState(undefined)).toBe(false);
  });

  it('keeps no blockers on a final gate, and every blocker on an open one', () => {
    expect(outcomeNumbers('released', { score: 62, blockers: 5 })).toEqual({
      score: 62,
      blockers: 0,
    });
    expect(outcomeNumbers('rolled-back', { score: 100, blockers: 2 })).toEqual({
      score: 100,
      blockers: 0,
    });
    expect(outcomeNumbers('no-go', { score: 62, blockers: 5 })).toEqual({
      score: 62,
      blockers: 5,
    });
  });
});
