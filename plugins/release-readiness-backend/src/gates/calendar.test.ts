/*
 * readCalendar's own rules, without a database: retired windows are never
 * shown nor applied, and entity filters narrow the scoped windows only.
 */
import { ReleaseWindow } from '@release-readiness/plugin-common';
import type { PortfolioStore } from '../database';
import { readCalendar } from './calendar';

const window = (
  id: string,
  scope: ReleaseWindow['scope'],
  extra: object = {},
): ReleaseWindow =>
  ({
    id,
    name: id,
    kind: 'freeze',
    from: '2026-12-10T00:00:00.000Z',
    to: '2026-12-11T00:00:00.000Z',
    scope,
    approvers: [],
    source: 'api',
    ...extra,
  } as ReleaseWindow);

const WINDOWS = [
  window('company', { all: true }),
  window(
    'retired-company',
    { all: true },
    { retiredAt: '2026-12-01T00:00:00Z' },
  ),
  window('checkout', { entities: ['component:default/promotions-engine'] }),
  window('pci', { tags: ['pci'] }),
];

function portfolio(): PortfolioStore {
  return {
    plannedGates: async () => ({
      total: 1,
      rows: [
        {
          gateId: 'g1',
          entityRef: 'component:default/promotions-engine',
          title: 'Promotions',
          tags: [],
          release: '1.0.0',
          state: 'in-progress',
          plannedAt: '2026-12-10T12:00:00.000Z',
        },
      ],
    }),
    approvedExceptions: async () => new Map(),
    scopeEntities: async () => [
      { entityRef: 'component:default/promotions-engine', tags: [] },
    ],
  } as unknown as PortfolioStore;
}

describe('readCalendar', () => {
  const read = (filters = {}) =>
    readCalendar({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-29T00:00:00.000Z',
      filters,
      access: { type: 'all' },
      portfolio: portfolio(),
      evaluator: { allWindows: async () => WINDOWS },
    });

  it('never shows or applies a retired window', async () => {
    const body = await read();
    expect(body.windows.map(w => w.id)).toEqual(['company', 'checkout', 'pci']);
    expect(body.releases[0].windowIds).toEqual(['company', 'checkout']);
    expect(body.releases[0].blockers.join(' ')).not.toContain(
      'retired-company',
    );
  });

  it('narrows the scoped windows to the entities the filters keep', async () => {
    const body = await read({ owner: 'group:default/checkout' });
    expect(body.windows.map(w => w.id)).toEqual(['company', 'checkout']);
  });
});
