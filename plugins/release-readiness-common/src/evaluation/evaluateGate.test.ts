import { evaluateGate } from './evaluateGate';
import {
  NOW,
  daysAgo,
  evidence,
  hoursAgo,
  patchItem,
  readyInput,
  vote,
} from './__fixtures__/gate';
import { GateState, ReleaseWindow, Verdict } from '../types';

/** A one-off freeze from a day before `instant` to a day after it. */
function freezeAround(instant: string): ReleaseWindow {
  const at = new Date(instant).getTime();
  return {
    id: 'freeze',
    name: 'Freeze',
    kind: 'freeze',
    from: new Date(at - 86_400_000).toISOString(),
    to: new Date(at + 86_400_000).toISOString(),
    scope: { all: true },
    approvers: ['group:default/release-management'],
    source: 'config',
  };
}

describe('evaluateGate', () => {
  it('finds a complete gate ready with score 100 and no blockers', () => {
    const result = evaluateGate(readyInput());
    expect(result).toMatchObject({
      ready: true,
      verdict: 'IN PROGRESS',
      score: 100,
      blockers: [],
      evaluatedAt: '2026-06-15T12:00:00.000Z',
    });
    expect(result.conditions.map(c => [c.id, c.title])).toEqual([
      ['artifacts', 'Artifacts'],
      ['automated', 'Automated quality gates'],
      ['risk', 'Risk'],
      ['rollback', 'Rollback'],
      ['communication', 'Communication'],
      ['signoffs', 'Sign-offs'],
      ['window', 'Release window'],
      ['rollup', 'Components of the system'],
    ]);
    expect(result.roles.map(r => r.role)).toEqual([
      'engineering',
      'qa',
      'security',
    ]);
  });

  it('lists every blocker in condition order and lowers the score', () => {
    const input = readyInput();
    patchItem(input.gate, 'release-notes', { status: 'pending' });
    input.evidence = [];
    input.gate.risk!.impactMatrix = [];
    delete input.gate.risk!.rollbackPlan;
    delete input.gate.risk!.communication!.approvedBy;
    input.gate.votes.push(vote('qa', 'user:default/quinn', 'not-ready'));
    input.windows = {
      windows: [freezeAround(input.gate.plannedAt!)],
      exceptions: [],
    };
    input.rollup = {
      components: [
        { entityRef: 'component:default/a', state: 'go' },
        { entityRef: 'component:default/b' },
      ],
    };

    const result = evaluateGate(input);
    expect(result.ready).toBe(false);
    expect(result.conditions.every(c => !c.met)).toBe(true);
    expect(result.blockers.map(b => b.condition)).toEqual([
      'artifacts',
      'automated',
      'automated',
      'risk',
      'rollback',
      'communication',
      'signoffs',
      'window',
      'rollup',
    ]);
    expect(result.blockers).toEqual(result.conditions.flatMap(c => c.blockers));
    // (0.5 + 0 + 0.5 + 0.5 + 2/3 + 2/3 + 0 + 1/2) / 8 = 0.4166…
    expect(result.score).toBe(42);
  });

  it('is ready with windows and components when none of them blocks', () => {
    const input = readyInput();
    input.windows = {
      windows: [freezeAround(daysAgo(30))],
      exceptions: [],
    };
    input.rollup = {
      components: [
        { entityRef: 'component:default/a', state: 'go' },
        { entityRef: 'component:default/b', state: 'released' },
      ],
    };
    expect(evaluateGate(input)).toMatchObject({
      ready: true,
      score: 100,
      blockers: [],
    });
  });

  it('is not ready while only the release window blocks', () => {
    const input = readyInput();
    input.windows = {
      windows: [freezeAround(input.gate.plannedAt!)],
      exceptions: [],
    };
    const result = evaluateGate(input);
    expect(result.ready).toBe(false);
    expect(result.blockers.map(b => b.condition)).toEqual(['window']);
    // 7 of 8 conditions met: 87.5 rounds to 88.
    expect(result.score).toBe(88);
  });

  it('is not ready while only a component of the system blocks', () => {
    const input = readyInput();
    input.rollup = {
      components: [
        { entityRef: 'component:default/a', state: 'go' },
        { entityRef: 'component:default/b', state: 'in-progress' },
      ],
    };
    const result = evaluateGate(input);
    expect(result.ready).toBe(false);
    expect(result.blockers.map(b => b.condition)).toEqual(['rollup']);
    // (7 + 1/2) / 8 = 0.9375
    expect(result.score).toBe(94);
  });

  it('scores below 100 when a single blocker remains, however small', () => {
    const input = readyInput();
    input.template.checklist = [];
    input.gate.items = input.gate.items.filter(i => i.id !== 'security-review');
    for (let i = 0; i < 300; i++) {
      input.gate.items.push({
        id: `extra-${i}`,
        title: `Extra ${i}`,
        category: 'documentation',
        required: true,
        source: 'service',
        status: i === 0 ? 'pending' : 'passed',
        version: 1,
      });
    }
    const result = evaluateGate(input);
    expect(result.ready).toBe(false);
    expect(result.score).toBe(99);
  });

  it.each<[GateState, Verdict]>([
    ['in-progress', 'IN PROGRESS'],
    ['go', 'GO'],
    ['released', 'GO'],
    ['no-go', 'NO-GO'],
    ['rolled-back', 'NO-GO'],
    ['cancelled', 'NO-GO'],
  ])('shows a gate in state %s as %s', (state, verdict) => {
    const input = readyInput();
    input.gate.state = state;
    const result = evaluateGate(input);
    expect(result.verdict).toBe(verdict);
    expect(result.ready).toBe(true);
  });

  it('reports readiness independently of the state', () => {
    const input = readyInput();
    input.gate.state = 'go';
    input.evidence = [];
    expect(evaluateGate(input)).toMatchObject({ verdict: 'GO', ready: false });
  });

  it('is deterministic: the same input gives the same output', () => {
    const input = readyInput();
    input.evidence.push(
      evidence('static-analysis', { score: 70 }, hoursAgo(30)),
      evidence('test-report', { passed: false }, hoursAgo(1)),
    );
    input.gate.votes.push(vote('qa', 'user:default/quinn', 'not-ready'));
    input.rollup = {
      components: [
        { entityRef: 'component:default/b', state: 'in-progress' },
        { entityRef: 'component:default/a' },
        { entityRef: 'component:default/c', state: 'go' },
      ],
    };
    const first = evaluateGate(input);
    expect(evaluateGate(input)).toEqual(first);
    expect(
      evaluateGate({
        ...input,
        evidence: [...input.evidence].reverse(),
        gate: { ...input.gate, votes: [...input.gate.votes].reverse() },
        rollup: { components: [...input.rollup.components].reverse() },
      }),
    ).toEqual(first);
  });

  it('reads time only from input.now', () => {
    const input = readyInput();
    const later = new Date(NOW.getTime() + 24 * 3_600_000);
    const result = evaluateGate({ ...input, now: later });
    expect(result.evaluatedAt).toBe(later.toISOString());
    expect(result.automated.find(r => r.itemId === 'unit-tests')?.outcome).toBe(
      'stale',
    );
  });

  it('does not modify its input', () => {
    const input = readyInput();
    input.gate.votes.reverse();
    input.windows = {
      windows: [freezeAround(input.gate.plannedAt!)],
      exceptions: [],
    };
    input.rollup = {
      components: [
        { entityRef: 'component:default/b', state: 'in-progress' },
        { entityRef: 'component:default/a' },
      ],
    };
    const before = JSON.stringify(input);
    evaluateGate(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});
