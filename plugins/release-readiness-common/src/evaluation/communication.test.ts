import { readyInput } from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';

describe('communication', () => {
  it('is met when the plan has audiences, is scheduled and approved', () => {
    expect(conditionOf(readyInput(), 'communication')).toMatchObject({
      title: 'Communication',
      met: true,
      progress: 1,
    });
  });

  it('blocks when the plan is not approved', () => {
    const input = readyInput();
    delete input.gate.risk!.communication!.approvedBy;
    const condition = conditionOf(input, 'communication');
    expect(condition.met).toBe(false);
    expect(condition.progress).toBeCloseTo(2 / 3);
    expect(condition.blockers.map(b => b.message)).toEqual([
      expect.stringMatching(/^The communication plan is not approved; /),
    ]);
  });

  it('blocks when the plan is not scheduled', () => {
    const input = readyInput();
    delete input.gate.risk!.communication!.scheduledAt;
    expect(messagesOf(input, 'communication')).toEqual([
      expect.stringMatching(/^The release communication is not scheduled; /),
    ]);
  });

  it('blocks when the plan names no audience', () => {
    const input = readyInput();
    input.gate.risk!.communication!.audiences = [];
    expect(messagesOf(input, 'communication')).toEqual([
      expect.stringMatching(/^The communication plan names no audience; /),
    ]);
  });

  it('gives a separate blocker for each gap when there is no plan', () => {
    const input = readyInput();
    delete input.gate.risk!.communication;
    expect(conditionOf(input, 'communication')).toMatchObject({
      met: false,
      progress: 0,
      blockers: [{}, {}, {}],
    });
  });

  it('is met without a plan when the template does not demand one', () => {
    const input = readyInput();
    input.template.risk.communicationPlan = false;
    delete input.gate.risk;
    expect(conditionOf(input, 'communication').met).toBe(true);
  });
});
