import { toReadinessEntityRef } from './entityRefs';

describe('toReadinessEntityRef', () => {
  it('lower-cases every part so refs compare equal', () => {
    expect(
      toReadinessEntityRef({
        kind: 'Component',
        namespace: 'Default',
        name: 'Payment-Gateway',
      }),
    ).toBe('component:default/payment-gateway');
  });

  it('fills in the default namespace', () => {
    expect(toReadinessEntityRef({ kind: 'System', name: 'payments' })).toBe(
      'system:default/payments',
    );
  });
});
