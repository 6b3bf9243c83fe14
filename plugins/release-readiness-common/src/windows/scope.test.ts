import { exceptionApproved, missingApprovers, windowApplies } from './scope';
import { exception, marketHours, yearEnd } from './__fixtures__/windows';

const cart = {
  entityRef: 'component:default/cart-service',
  systemRef: 'system:default/shop',
  tags: ['java', 'pci'],
};

describe('windowApplies', () => {
  it('applies a window scoped to all to every entity', () => {
    expect(windowApplies(yearEnd(), cart)).toBe(true);
    expect(
      windowApplies(yearEnd(), { entityRef: 'api:default/x', tags: [] }),
    ).toBe(true);
  });

  it('applies a window to the systems, entities and tags it names', () => {
    const scoped = (scope: object) => yearEnd({ scope });
    expect(
      windowApplies(scoped({ systems: ['system:default/shop'] }), cart),
    ).toBe(true);
    expect(
      windowApplies(
        scoped({ entities: ['component:default/cart-service'] }),
        cart,
      ),
    ).toBe(true);
    expect(windowApplies(scoped({ tags: ['pci'] }), cart)).toBe(true);
  });

  it('compares refs and tags case-insensitively', () => {
    const scoped = (scope: object) => yearEnd({ scope });
    expect(
      windowApplies(scoped({ systems: ['System:default/Shop'] }), cart),
    ).toBe(true);
    expect(
      windowApplies(
        scoped({ entities: ['Component:Default/Cart-Service'] }),
        cart,
      ),
    ).toBe(true);
    expect(windowApplies(scoped({ tags: ['PCI'] }), cart)).toBe(true);
    expect(
      windowApplies(scoped({ entities: ['component:default/cart-service'] }), {
        ...cart,
        entityRef: 'Component:default/Cart-Service',
      }),
    ).toBe(true);
  });

  it('does not apply a window that names other things', () => {
    expect(windowApplies(marketHours(), cart)).toBe(false);
    expect(
      windowApplies(
        yearEnd({
          scope: {
            all: false,
            systems: ['system:default/trading'],
            entities: ['component:default/order-service'],
            tags: ['python'],
          },
        }),
        cart,
      ),
    ).toBe(false);
    expect(
      windowApplies(yearEnd({ scope: { systems: ['system:default/shop'] } }), {
        entityRef: cart.entityRef,
        tags: [],
      }),
    ).toBe(false);
    expect(windowApplies(yearEnd({ scope: {} }), cart)).toBe(false);
  });
});

describe('exceptionApproved', () => {
  const RM = 'group:default/release-management';
  const SRE = 'group:default/sre';

  it('is approved when the single approver covered an exception for this gate', () => {
    const window = yearEnd();
    expect(exceptionApproved(window, [], 'gate-1')).toBe(false);
    expect(
      exceptionApproved(window, [exception('year-end', [RM])], 'gate-1'),
    ).toBe(true);
  });

  it('ignores exceptions for other gates or other windows', () => {
    const window = yearEnd();
    expect(
      exceptionApproved(
        window,
        [
          exception('year-end', [RM], { gateId: 'gate-2' }),
          exception('market-hours', [RM]),
        ],
        'gate-1',
      ),
    ).toBe(false);
  });

  it('needs every one of two approver groups', () => {
    const window = yearEnd({ approvers: [RM, SRE] });
    const first = exception('year-end', [RM]);
    expect(exceptionApproved(window, [first], 'gate-1')).toBe(false);
    expect(missingApprovers(window, [first], 'gate-1')).toEqual([SRE]);
    const second = exception('year-end', [SRE], {
      approvedBy: 'user:default/sasha',
    });
    expect(exceptionApproved(window, [first, second], 'gate-1')).toBe(true);
    expect(missingApprovers(window, [first, second], 'gate-1')).toEqual([]);
  });

  it('counts one approval that covers both groups', () => {
    const window = yearEnd({ approvers: [RM, SRE] });
    expect(
      exceptionApproved(window, [exception('year-end', [SRE, RM])], 'gate-1'),
    ).toBe(true);
  });

  it('compares covered refs case-insensitively', () => {
    const window = yearEnd({ approvers: ['group:default/Release-Management'] });
    expect(
      exceptionApproved(window, [exception('year-end', [RM])], 'gate-1'),
    ).toBe(true);
  });

  it('never excepts a window without approvers', () => {
    const window = yearEnd({ approvers: [] });
    expect(
      exceptionApproved(window, [exception('year-end', [RM])], 'gate-1'),
    ).toBe(false);
    expect(missingApprovers(window, [], 'gate-1')).toEqual([]);
  });
});
