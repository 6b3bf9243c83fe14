/*
 * GET /portfolio/calendar on both engines: the windows of a range under the
 * portfolio's filters (a team sees the freezes of its services and the
 * company-wide ones, not other teams'), every occurrence of a recurring
 * window, trains as allowed slots, several planned gates of one entity,
 * the window condition at each planned time and the approved exceptions.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CalendarResponse } from '@release-readiness/plugin-common';
import request from 'supertest';
import {
  as,
  ENTITIES,
  HIROSHI,
  MARGARET,
  PRIYA,
  startReadinessBackend,
} from '../__testUtils__/fixtures';
import { teamReadPermissions } from '../__testUtils__/teamReadPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const DAY = 86_400_000;

/** A pci-tagged service of the payments team in the trading system. */
const CARD_VAULT: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'card-vault', namespace: 'default', tags: ['pci'] },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
    system: 'trading',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/payments' },
    { type: 'partOf', targetRef: 'system:default/trading' },
  ],
};

describe.each(databases.eachSupportedId())('the release calendar on %s', id => {
  let api: ReturnType<typeof request>;
  // Midnight UTC, so that the weekly windows fall on known days.
  const start = Math.ceil(Date.now() / DAY) * DAY + DAY;
  const iso = (days: number) => new Date(start + days * DAY).toISOString();
  const from = iso(0);
  const to = iso(28);
  const gates: Record<string, string> = {};

  beforeAll(async () => {
    const { server } = await startReadinessBackend({
      knex: await databases.init(id),
      entities: [...ENTITIES, CARD_VAULT],
      features: [teamReadPermissions.factory],
      windows: [
        {
          id: 'company-freeze',
          name: 'Company freeze',
          kind: 'freeze',
          from: iso(5),
          to: iso(6),
          scope: { all: true },
          approvers: ['group:default/release-management'],
        },
        {
          // Every day at 20:00 UTC for two hours: 28 occurrences.
          id: 'checkout-nightly-freeze',
          name: 'Checkout nightly freeze',
          kind: 'freeze',
          cron: '0 20 * * *',
          duration: 'PT2H',
          scope: { entities: ['component:default/promotions-engine'] },
          approvers: ['group:default/release-management'],
        },
        {
          id: 'pci-freeze',
          name: 'PCI freeze',
          kind: 'freeze',
          from: iso(2),
          to: iso(3),
          scope: { tags: ['pci'] },
          approvers: ['group:default/release-management'],
        },
        {
          // Mondays 09:00 UTC for eight hours: four allowed slots.
          id: 'trading-train',
          name: 'Trading train',
          kind: 'train',
          cron: '0 9 * * 1',
          duration: 'PT8H',
          scope: { systems: ['system:default/trading'] },
          approvers: [],
        },
      ],
    });
    api = request(server);
    const open = async (path: string, release: string, plannedAt: string) => {
      const res = await api
        .post(`${BASE}/entities/component/default/${path}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release, plannedAt, rapidReason: 'Calendar test' });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      return res.body.id as string;
    };
    // Two open gates of the payment gateway: one inside the company freeze,
    // one after it.
    gates.inFreeze = await open('payment-gateway', '1.0.0', iso(5.5));
    gates.after = await open('payment-gateway', '1.1.0', iso(10.5));
    gates.vault = await open('card-vault', '3.0.0', iso(2.5));
    gates.promotions = await open('promotions-engine', '2.0.0', iso(7.5));
    const exception = await api
      .post(`${BASE}/gates/${gates.inFreeze}/window-exception`)
      .set('Authorization', as(MARGARET))
      .send({ windowId: 'company-freeze', reason: 'Hotfix for refunds' });
    if (exception.status !== 201) {
      throw new Error(JSON.stringify(exception.body));
    }
  });

  const calendar = async (query: Record<string, string> = {}, user = PRIYA) => {
    const res = await api
      .get(`${BASE}/portfolio/calendar`)
      .query({ from, to, ...query })
      .set('Authorization', as(user));
    expect(res.status).toBe(200);
    return res.body as CalendarResponse;
  };
  const ids = (body: CalendarResponse) => body.windows.map(w => w.id).sort();

  it('shows every window and every occurrence in the range without filters', async () => {
    const body = await calendar();
    expect(body).toMatchObject({ from, to });
    expect(ids(body)).toEqual([
      'checkout-nightly-freeze',
      'company-freeze',
      'pci-freeze',
      'trading-train',
    ]);
    const byId = Object.fromEntries(body.windows.map(w => [w.id, w]));
    // Not only the next one: each of the 28 nights.
    expect(byId['checkout-nightly-freeze'].occurrences).toHaveLength(28);
    expect(byId['checkout-nightly-freeze'].occurrences[1]).toEqual({
      start: new Date(start + DAY + 20 * 3_600_000).toISOString(),
      end: new Date(start + DAY + 22 * 3_600_000).toISOString(),
    });
    // A train's occurrences are its allowed slots: four Mondays.
    expect(byId['trading-train'].occurrences).toHaveLength(4);
    expect(byId['company-freeze'].occurrences).toEqual([
      { start: iso(5), end: iso(6) },
    ]);
  });

  it("shows a team its services' windows and the company-wide ones, not other teams'", async () => {
    const checkout = await calendar({ owner: 'Group:default/Checkout' });
    expect(ids(checkout)).toEqual([
      'checkout-nightly-freeze',
      'company-freeze',
    ]);
    expect(checkout.releases.map(r => r.entityRef)).toEqual([
      'component:default/promotions-engine',
    ]);
    const payments = await calendar({ owner: 'group:default/payments' });
    expect(ids(payments)).toEqual([
      'company-freeze',
      'pci-freeze',
      'trading-train',
    ]);
    // The other filters of the portfolio narrow alike.
    const search = await calendar({ q: 'vault' });
    expect(ids(search)).toEqual([
      'company-freeze',
      'pci-freeze',
      'trading-train',
    ]);
    expect(search.releases.map(r => r.gateId)).toEqual([gates.vault]);
    expect((await calendar({ tier: '2' })).releases).toEqual([]);
  });

  it('lists several planned gates of one entity, earliest first, with their windows', async () => {
    const body = await calendar({ owner: 'group:default/payments' });
    expect(body.totalReleases).toBe(3);
    expect(body.releases.map(r => [r.gateId, r.release])).toEqual([
      [gates.vault, '3.0.0'],
      [gates.inFreeze, '1.0.0'],
      [gates.after, '1.1.0'],
    ]);
    const [vault, inFreeze, after] = body.releases;
    // The pci service is inside its freeze and outside its train.
    expect(vault).toMatchObject({
      windowIds: ['company-freeze', 'pci-freeze', 'trading-train'],
      allowed: false,
      exceptions: [],
    });
    expect(vault.blockers.join(' ')).toContain("'PCI freeze'");
    expect(vault.blockers.join(' ')).toContain("'Trading train'");
    // The approved exception lets the gateway's release through the freeze.
    expect(inFreeze).toMatchObject({
      entityRef: 'component:default/payment-gateway',
      windowIds: ['company-freeze'],
      allowed: true,
      blockers: [],
      exceptions: [
        { windowId: 'company-freeze', windowName: 'Company freeze' },
      ],
    });
    expect(after).toMatchObject({ allowed: true, exceptions: [] });
  });

  it('shows a reader only the releases, and the scoped windows, of gates they may read', async () => {
    const body = await calendar({}, HIROSHI);
    expect(body.releases.map(r => r.entityRef)).toEqual([
      'component:default/promotions-engine',
    ]);
    expect(body.totalReleases).toBe(1);
    // Asking for another team's services gives nothing of theirs away.
    const payments = await calendar(
      { owner: 'group:default/payments' },
      HIROSHI,
    );
    expect(payments.releases).toEqual([]);
    expect(payments.totalReleases).toBe(0);
    expect(ids(payments)).toEqual(['company-freeze']);
  });

  it('shows the planned releases of a range only', async () => {
    const body = await calendar({ to: iso(5) });
    expect(body.releases.map(r => r.gateId)).toEqual([gates.vault]);
    expect(body.totalReleases).toBe(1);
  });

  it('refuses a range that cannot be, naming the field', async () => {
    for (const [query, field] of [
      [{ from: iso(5), to: iso(1) }, 'to'],
      [{ from: iso(0), to: iso(400) }, 'to'],
      [{ from: '2026-02-30T00:00:00Z' }, 'from'],
      [{ tier: '4' }, 'tier'],
    ] as const) {
      const res = await api
        .get(`${BASE}/portfolio/calendar`)
        .query(query)
        .set('Authorization', as(HIROSHI));
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toContain(field);
    }
  });
});
