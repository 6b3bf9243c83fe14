import { evaluateGate } from './evaluateGate';
import { evaluateAutomatedItem, isAutomatedItem } from './automated';
import {
  NOW,
  daysAgo,
  evidence,
  gate,
  hoursAgo,
  patchItem,
  readyInput,
  waiver,
} from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';
import { EvaluationInput } from '../types';

function resultOf(input: EvaluationInput, itemId: string) {
  return evaluateGate(input).automated.find(r => r.itemId === itemId);
}

describe('automated quality gates', () => {
  it('is met when every automated item has fresh evidence meeting its rule', () => {
    const input = readyInput();
    const result = evaluateGate(input);
    expect(conditionOf(input, 'automated')).toMatchObject({
      title: 'Automated quality gates',
      met: true,
      progress: 1,
    });
    expect(result.automated).toEqual([
      {
        itemId: 'static-analysis',
        outcome: 'passed',
        evidenceId: input.evidence[0].id,
        observedAt: input.evidence[0].observedAt,
        receivedAt: input.evidence[0].receivedAt,
        detail: 'score 95, meets score >= 90',
      },
      expect.objectContaining({ itemId: 'unit-tests', outcome: 'passed' }),
    ]);
  });

  it('reports missing evidence with the type and release', () => {
    const input = readyInput();
    input.evidence = input.evidence.filter(e => e.type !== 'test-report');
    expect(resultOf(input, 'unit-tests')?.outcome).toBe('missing');
    expect(messagesOf(input, 'automated')).toEqual([
      'Unit tests: no test-report evidence for release 1.4.0 yet; run the pipeline that posts it',
    ]);
    expect(conditionOf(input, 'automated').progress).toBe(0.5);
  });

  it('ignores evidence of another release, another entity or another type', () => {
    const input = readyInput();
    input.evidence = [
      evidence('test-report', { passed: true }, hoursAgo(1), {
        release: '1.3.9',
      }),
      evidence('test-report', { passed: true }, hoursAgo(1), {
        entityRef: 'component:default/other',
      }),
      evidence('static-analysis', { passed: true, score: 99 }, hoursAgo(1)),
    ];
    expect(resultOf(input, 'unit-tests')?.outcome).toBe('missing');
    expect(resultOf(input, 'static-analysis')?.outcome).toBe('passed');
  });

  it('reports a failing rule with the actual value and the threshold', () => {
    const input = readyInput();
    input.evidence[0] = evidence('static-analysis', { score: 84 }, daysAgo(1));
    expect(resultOf(input, 'static-analysis')).toMatchObject({
      outcome: 'failed',
      evidenceId: input.evidence[0].id,
      detail: 'score 84, needs score >= 90',
    });
    expect(messagesOf(input, 'automated')).toEqual([
      expect.stringMatching(
        /^Static analysis: static-analysis evidence shows score 84, needs score >= 90; fix the cause/,
      ),
    ]);
  });

  it('says when the metric the rule reads was not reported', () => {
    const input = readyInput();
    input.evidence[1] = evidence('test-report', { total: 10 }, hoursAgo(1));
    expect(resultOf(input, 'unit-tests')?.detail).toBe(
      'passed not reported, needs passed == true',
    );
  });

  it('reports stale evidence with its age and the limit', () => {
    const input = readyInput();
    input.evidence[1] = evidence('test-report', { passed: true }, hoursAgo(13));
    expect(resultOf(input, 'unit-tests')?.outcome).toBe('stale');
    expect(messagesOf(input, 'automated')).toEqual([
      'Unit tests: the newest test-report evidence is 13 hours old (observed 2026-06-14), older than the 12 hours allowed; re-run the pipeline to post fresh evidence',
    ]);
  });

  it('accepts evidence exactly at the age limit, and evidence from the future', () => {
    const input = readyInput();
    input.evidence = [
      evidence('static-analysis', { score: 95 }, daysAgo(7)),
      evidence('test-report', { passed: true }, hoursAgo(-3)),
    ];
    expect(conditionOf(input, 'automated').met).toBe(true);
  });

  it('judges by the newest evidence: a newer pass wins over an older failure', () => {
    const input = readyInput();
    input.evidence = [
      evidence('static-analysis', { score: 95 }, hoursAgo(1)),
      evidence('static-analysis', { score: 50 }, hoursAgo(5)),
      evidence('test-report', { passed: true }, hoursAgo(1)),
    ];
    expect(resultOf(input, 'static-analysis')).toMatchObject({
      outcome: 'passed',
      evidenceId: input.evidence[0].id,
    });
  });

  it('judges by the newest evidence: a newer failure wins over an older pass', () => {
    const input = readyInput();
    input.evidence = [
      evidence('test-report', { passed: true }, hoursAgo(6)),
      evidence('test-report', { passed: false }, hoursAgo(2)),
      evidence('static-analysis', { score: 95 }, hoursAgo(1)),
    ];
    expect(resultOf(input, 'unit-tests')).toMatchObject({
      outcome: 'failed',
      evidenceId: input.evidence[1].id,
    });
  });

  it('lets an unexpired waiver satisfy an automated item without evidence', () => {
    const input = readyInput();
    input.evidence = input.evidence.filter(e => e.type !== 'test-report');
    patchItem(input.gate, 'unit-tests', {
      status: 'waived',
      waiver: waiver(2),
    });
    expect(resultOf(input, 'unit-tests')).toEqual({
      itemId: 'unit-tests',
      outcome: 'waived',
      detail:
        "waived by user:default/erin until 2026-06-17: 'covered by the platform pen test'",
    });
    expect(conditionOf(input, 'automated').met).toBe(true);
  });

  it('does not let an expired waiver count, and says so', () => {
    const input = readyInput();
    input.evidence = input.evidence.filter(e => e.type !== 'test-report');
    patchItem(input.gate, 'unit-tests', {
      status: 'waived',
      waiver: waiver(-2),
    });
    expect(resultOf(input, 'unit-tests')?.outcome).toBe('missing');
    expect(messagesOf(input, 'automated')).toEqual([
      'Unit tests: the waiver expired on 2026-06-13; no test-report evidence for release 1.4.0 yet; run the pipeline that posts it, or renew the waiver',
    ]);
  });

  it('passes on evidence alone once a waiver expired', () => {
    const input = readyInput();
    patchItem(input.gate, 'unit-tests', {
      status: 'waived',
      waiver: waiver(-2),
    });
    expect(resultOf(input, 'unit-tests')?.outcome).toBe('passed');
    expect(conditionOf(input, 'automated').met).toBe(true);
  });

  it('reports optional automated items without blocking on them', () => {
    const input = readyInput();
    patchItem(input.gate, 'unit-tests', { required: false });
    input.evidence = input.evidence.filter(e => e.type !== 'test-report');
    expect(resultOf(input, 'unit-tests')?.outcome).toBe('missing');
    expect(conditionOf(input, 'automated')).toMatchObject({
      met: true,
      progress: 1,
    });
  });

  it('reports an invalid template rule as a failure instead of throwing', () => {
    const input = readyInput();
    patchItem(input.gate, 'static-analysis', {
      automated: {
        evidenceType: 'static-analysis',
        rule: 'score => 90',
        maxAge: 'P7D',
      },
    });
    expect(() => evaluateGate(input)).not.toThrow();
    expect(resultOf(input, 'static-analysis')).toMatchObject({
      outcome: 'failed',
      detail: expect.stringContaining(
        'the template rule "score => 90" is invalid',
      ),
    });
    expect(messagesOf(input, 'automated')[0]).toMatch(/fix the gate template$/);
  });

  it('reports an invalid maxAge as a failure instead of throwing', () => {
    const input = readyInput();
    patchItem(input.gate, 'unit-tests', {
      automated: {
        evidenceType: 'test-report',
        rule: 'passed == true',
        maxAge: '12 hours',
      },
    });
    expect(resultOf(input, 'unit-tests')).toMatchObject({
      outcome: 'failed',
      detail: expect.stringContaining('maxAge "12 hours" is invalid'),
    });
  });

  it('evaluates one item on its own', () => {
    const item = gate().items.find(i => i.id === 'static-analysis')!;
    expect(isAutomatedItem(item)).toBe(true);
    if (!isAutomatedItem(item)) return;
    const result = evaluateAutomatedItem(
      item,
      gate(),
      [evidence('static-analysis', { score: 91 }, daysAgo(2))],
      NOW,
    );
    expect(result.outcome).toBe('passed');
  });
});
