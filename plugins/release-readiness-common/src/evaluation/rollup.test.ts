import { EvaluationInput, GateState } from '../types';
import { readyInput } from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';

function systemGate(
  components: [string, GateState | undefined][],
): EvaluationInput {
  const input = readyInput();
  input.gate.entityRef = 'system:default/shop';
  input.gate.release = '2026.12';
  input.gate.tier = 2;
  input.rollup = {
    components: components.map(([entityRef, state]) => ({
      entityRef,
      ...(state ? { state } : {}),
    })),
  };
  return input;
}

describe('tier roll-up', () => {
  it('is met for a gate that is not a system gate', () => {
    expect(conditionOf(readyInput(), 'rollup')).toMatchObject({
      title: 'Components of the system',
      met: true,
      progress: 1,
      blockers: [],
    });
  });

  it('is met for a system without components', () => {
    expect(conditionOf(systemGate([]), 'rollup').met).toBe(true);
  });

  it('is met when every component is GO or released', () => {
    const condition = conditionOf(
      systemGate([
        ['component:default/cart-service', 'go'],
        ['component:default/order-service', 'released'],
      ]),
      'rollup',
    );
    expect(condition).toMatchObject({ met: true, progress: 1 });
  });

  it('blocks, naming each component that is not GO and why', () => {
    const condition = conditionOf(
      systemGate([
        ['component:default/order-service', 'in-progress'],
        ['component:default/payment-gateway', 'go'],
        ['component:default/cart-service', undefined],
      ]),
      'rollup',
    );
    expect(condition).toMatchObject({ met: false });
    expect(condition.progress).toBeCloseTo(1 / 3);
    expect(condition.blockers).toEqual([
      {
        condition: 'rollup',
        message:
          "1 of 3 components are GO for release 2026.12; every component's gate must be GO before the system's: component:default/cart-service has no gate for release 2026.12 yet; component:default/order-service is in-progress",
      },
    ]);
  });

  it('counts released components as GO and names no-go ones', () => {
    const input = systemGate([
      ['component:default/cart-service', 'released'],
      ['component:default/order-service', 'no-go'],
    ]);
    expect(conditionOf(input, 'rollup').progress).toBe(0.5);
    expect(messagesOf(input, 'rollup')).toEqual([
      expect.stringMatching(
        /^1 of 2 components are GO .*: component:default\/order-service is no-go$/,
      ),
    ]);
  });

  it.each<GateState>(['in-progress', 'no-go', 'rolled-back', 'cancelled'])(
    'does not count a component in state %s',
    state => {
      expect(
        conditionOf(systemGate([['component:default/a', state]]), 'rollup'),
      ).toMatchObject({ met: false, progress: 0 });
    },
  );
});
