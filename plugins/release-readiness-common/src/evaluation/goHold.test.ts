import { EvaluationInput, Gate, GateDecision } from '../types';
import {
  exception,
  londonTrain,
  yearEnd,
} from '../windows/__fixtures__/windows';
import { evaluateGate } from './evaluateGate';
import {
  evidence,
  hoursAgo,
  NOW,
  patchItem,
  readyInput,
  vote,
  waiver,
} from './__fixtures__/gate';
import { goHold } from './goHold';

const PRIYA = 'user:default/priya';

function goDecision(at = hoursAgo(3)): GateDecision {
  return {
    id: 'decision-1',
    verdict: 'go',
    reason: 'every condition met',
    by: PRIYA,
    at,
    stateHash: 'hash',
  };
}

/** A ready gate on which GO was recorded three hours before NOW. */
function goInput(change: (input: EvaluationInput) => void = () => {}) {
  const input = readyInput();
  input.gate.state = 'go';
  input.gate.decisions = [goDecision()];
  change(input);
  return input;
}

function holdOf(input: EvaluationInput) {
  return goHold(input.gate, evaluateGate(input));
}

describe('goHold', () => {
  it('holds while every condition is still met, saying so', () => {
    expect(holdOf(goInput())).toEqual({
      decidedAt: hoursAgo(3),
      decidedBy: PRIYA,
      holds: true,
      blockers: [],
      message: `GO recorded at 2026-06-15 09:00 UTC by ${PRIYA} holds: every condition is still met`,
    });
  });

  it('is only for a gate that is GO', () => {
    for (const state of [
      'in-progress',
      'no-go',
      'released',
      'rolled-back',
      'cancelled',
    ] as Gate['state'][]) {
      const input = goInput(i => {
        i.gate.state = state;
      });
      expect(holdOf(input)).toBeUndefined();
    }
    // GO without a recorded GO decision (data from before decisions).
    expect(
      holdOf(
        goInput(i => {
          i.gate.decisions = [];
        }),
      ),
    ).toBeUndefined();
  });

  it('reads the latest GO decision when the gate was decided more than once', () => {
    const input = goInput(i => {
      i.gate.decisions = [
        goDecision(hoursAgo(30)),
        { ...goDecision(hoursAgo(20)), verdict: 'no-go', id: 'd2' },
        { ...goDecision(hoursAgo(2)), id: 'd3', by: 'user:default/erin' },
      ];
    });
    expect(holdOf(input)).toMatchObject({
      decidedAt: hoursAgo(2),
      decidedBy: 'user:default/erin',
    });
  });

  it('lapses on failing evidence posted after GO, naming it', () => {
    const hold = holdOf(
      goInput(i => {
        i.evidence.push(
          evidence('test-report', { passed: false }, hoursAgo(0.5), {
            status: 'failed',
          }),
        );
      }),
    )!;
    expect(hold.holds).toBe(false);
    expect(hold.message).toMatch(
      new RegExp(
        `^GO recorded at 2026-06-15 09:00 UTC by ${PRIYA}, no longer holds: .*Unit tests`,
      ),
    );
    expect(hold.blockers.map(b => b.condition)).toEqual(['automated']);
  });

  it('lapses when evidence goes stale with time', () => {
    const input = goInput();
    // The test report is 1 hour old and may be 12: 12 hours later it is stale.
    input.now = new Date(NOW.getTime() + 12 * 3_600_000);
    const hold = holdOf(input)!;
    expect(hold.holds).toBe(false);
    expect(hold.blockers[0]).toMatchObject({ condition: 'automated' });
  });

  it('lapses when a waiver expires', () => {
    const hold = holdOf(
      goInput(i => {
        patchItem(i.gate, 'security-review', {
          status: 'waived',
          waiver: waiver(-1),
        });
      }),
    )!;
    expect(hold.holds).toBe(false);
    expect(hold.blockers[0]).toMatchObject({ condition: 'artifacts' });
  });

  it('lapses on a Not-ready vote', () => {
    const hold = holdOf(
      goInput(i => {
        i.gate.votes.push(vote('qa', 'user:default/quinn', 'not-ready'));
      }),
    )!;
    expect(hold.holds).toBe(false);
    expect(hold.blockers[0]).toMatchObject({ condition: 'signoffs' });
  });

  it('lapses when a freeze is active now, though the planned time is outside it', () => {
    const input = goInput(i => {
      i.now = new Date('2026-12-20T10:00:00Z');
      i.gate.plannedAt = '2027-01-05T10:00:00Z';
      i.windows = { windows: [yearEnd()], exceptions: [] };
      // Fresh evidence, so that only the freeze lapses.
      i.evidence = [
        evidence('static-analysis', { score: 95 }, '2026-12-20T09:00:00Z'),
        evidence('test-report', { passed: true }, '2026-12-20T09:00:00Z'),
      ];
      i.gate.risk!.rollbackVerifiedAt = '2026-12-19T09:00:00Z';
    });
    const evaluation = evaluateGate(input);
    expect(evaluation.ready).toBe(true);
    const hold = goHold(input.gate, evaluation)!;
    expect(hold.holds).toBe(false);
    expect(hold.blockers).toEqual([
      {
        condition: 'window',
        message:
          "Now (2026-12-20 10:00 UTC) is inside the freeze 'Year-end freeze' (until 2027-01-04 00:00 UTC); wait until the freeze ends or get an exception approved by group:default/release-management",
      },
    ]);
    expect(hold.message).toContain(
      'no longer holds: Now (2026-12-20 10:00 UTC)',
    );

    // An exception approved for the gate lets it out.
    input.windows!.exceptions = [
      exception('year-end', ['group:default/release-management']),
    ];
    expect(holdOf(input)!.holds).toBe(true);
  });

  it('lapses outside every release train now, naming the next', () => {
    const input = goInput(i => {
      i.windows = { windows: [londonTrain()], exceptions: [] };
      // Tuesday 16 June 2026, 10:30 London time (09:30 UTC): inside.
      i.gate.plannedAt = '2026-06-16T09:30:00Z';
    });
    // NOW is Monday 15 June 12:00 UTC: outside the train.
    const hold = holdOf(input)!;
    expect(hold.holds).toBe(false);
    expect(hold.blockers[0].message).toBe(
      "Now (2026-06-15 12:00 UTC) is outside every release train; the next train 'Tue/Thu train' opens 2026-06-16 09:00 UTC (10:00 in Europe/London); wait for the train to open or get an exception approved by group:default/release-management",
    );
    input.now = new Date('2026-06-16T09:30:00Z');
    input.evidence = [
      evidence('static-analysis', { score: 95 }, '2026-06-16T09:00:00Z'),
      evidence('test-report', { passed: true }, '2026-06-16T09:00:00Z'),
    ];
    expect(holdOf(input)!.holds).toBe(true);
  });

  it('holds again once what lapsed is true again', () => {
    const input = goInput(i => {
      i.evidence.push(
        evidence('test-report', { passed: false }, hoursAgo(0.5), {
          status: 'failed',
        }),
      );
    });
    expect(holdOf(input)!.holds).toBe(false);
    input.evidence.push(
      evidence('test-report', { passed: true }, hoursAgo(0.25)),
    );
    expect(holdOf(input)!.holds).toBe(true);
  });
});
