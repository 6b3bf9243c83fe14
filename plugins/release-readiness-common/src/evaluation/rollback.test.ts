import { daysAgo, evidence, readyInput } from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';

describe('rollback', () => {
  it('is met with a plan verified by a person within the window', () => {
    expect(conditionOf(readyInput(), 'rollback')).toMatchObject({
      title: 'Rollback',
      met: true,
      progress: 1,
    });
  });

  it('blocks without a rollback plan', () => {
    const input = readyInput();
    input.gate.risk!.rollbackPlan = '  ';
    const condition = conditionOf(input, 'rollback');
    expect(condition).toMatchObject({ met: false, progress: 0.5 });
    expect(condition.blockers[0].message).toMatch(
      /^There is no rollback plan; .* release 1\.4\.0/,
    );
  });

  it('blocks when the verification is older than the window, saying when and the limit', () => {
    const input = readyInput();
    input.gate.risk!.rollbackVerifiedAt = '2026-05-01T12:00:00.000Z';
    expect(messagesOf(input, 'rollback')).toEqual([
      'The rollback was last verified on 2026-05-01 (45 days ago), longer ago than the 30 days allowed; rehearse it again and record the verification',
    ]);
  });

  it('blocks when the rollback was never verified', () => {
    const input = readyInput();
    delete input.gate.risk!.rollbackVerifiedAt;
    expect(messagesOf(input, 'rollback')).toEqual([
      expect.stringMatching(/^The rollback has never been verified; /),
    ]);
  });

  it('accepts passed rollback-verification evidence of this release', () => {
    const input = readyInput();
    input.gate.risk!.rollbackVerifiedAt = daysAgo(90);
    input.evidence.push(
      evidence('rollback-verification', {}, daysAgo(3), { status: 'passed' }),
    );
    expect(conditionOf(input, 'rollback').met).toBe(true);
  });

  it('ignores failed verification evidence and evidence of another release', () => {
    const input = readyInput();
    delete input.gate.risk!.rollbackVerifiedAt;
    input.evidence.push(
      evidence('rollback-verification', {}, daysAgo(1), { status: 'failed' }),
      evidence('rollback-verification', {}, daysAgo(1), { release: '1.3.0' }),
    );
    expect(messagesOf(input, 'rollback')[0]).toMatch(/never been verified/);
  });

  it('takes the newest of the person and the evidence verification', () => {
    const input = readyInput();
    input.gate.risk!.rollbackVerifiedAt = daysAgo(2);
    input.evidence.push(evidence('rollback-verification', {}, daysAgo(40)));
    expect(conditionOf(input, 'rollback').met).toBe(true);
  });

  it('reports an invalid window in the template instead of throwing', () => {
    const input = readyInput();
    input.template.risk.rollbackVerifiedWithin = '30 days';
    expect(messagesOf(input, 'rollback')).toEqual([
      expect.stringContaining('rollbackVerifiedWithin "30 days" is invalid'),
    ]);
  });

  it('demands only what the template enables', () => {
    const input = readyInput();
    input.template.risk.rollbackPlan = false;
    delete input.template.risk.rollbackVerifiedWithin;
    delete input.gate.risk;
    expect(conditionOf(input, 'rollback')).toMatchObject({
      met: true,
      progress: 1,
    });
  });
});
