import { readyInput } from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';

describe('risk', () => {
  it('is met with an impact matrix and accepted residual risk', () => {
    expect(conditionOf(readyInput(), 'risk')).toMatchObject({
      title: 'Risk',
      met: true,
      progress: 1,
      blockers: [],
    });
  });

  it('blocks on an empty impact matrix', () => {
    const input = readyInput();
    input.gate.risk!.impactMatrix = [];
    const condition = conditionOf(input, 'risk');
    expect(condition).toMatchObject({ met: false, progress: 0.5 });
    expect(condition.blockers.map(b => b.message)).toEqual([
      expect.stringMatching(/^The impact matrix is empty; add at least one/),
    ]);
  });

  it('blocks when nobody accepted the residual risk', () => {
    const input = readyInput();
    delete input.gate.risk!.residualRisk;
    expect(messagesOf(input, 'risk')).toEqual([
      expect.stringMatching(/^Nobody has accepted the residual risk/),
    ]);
  });

  it('blocks on every requirement when there is no risk assessment', () => {
    const input = readyInput();
    delete input.gate.risk;
    const condition = conditionOf(input, 'risk');
    expect(condition).toMatchObject({ met: false, progress: 0 });
    expect(condition.blockers).toHaveLength(2);
  });

  it('demands only what the template enables', () => {
    const input = readyInput();
    input.template.risk.residualRiskAcceptance = false;
    delete input.gate.risk!.residualRisk;
    expect(conditionOf(input, 'risk').met).toBe(true);

    input.template.risk.impactMatrix = false;
    delete input.gate.risk;
    expect(conditionOf(input, 'risk')).toMatchObject({
      met: true,
      progress: 1,
    });
  });
});
