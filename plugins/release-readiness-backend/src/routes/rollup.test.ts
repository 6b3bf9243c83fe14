/*
 * GET /entities/:kind/:namespace/:name/rollup: the parts of a system (its
 * components) and of a domain (its systems) with their gates for a release,
 * through the HTTP API on both databases: a part with no gate, a part whose
 * gate is for another release, a part that is GO, and a viewer who may read
 * only some of the parts.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityRollup, SystemRollup } from '@release-readiness/plugin-common';
import request from 'supertest';
import {
  as,
  ENTITIES,
  HIROSHI,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { teamReadPermissions } from '../__testUtils__/teamReadPermissions';
import { driveToReady } from '../__testUtils__/readyGate';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const SYSTEM = `${BASE}/entities/system/default/payments-platform`;
const DOMAIN = `${BASE}/entities/domain/default/commerce`;
const CHECKOUT = 'group:default/checkout';
const PAYMENTS = 'group:default/payments';

const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

function entity(
  kind: string,
  name: string,
  owner: string,
  spec: Record<string, unknown> = {},
  relations: { type: string; targetRef: string }[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', title: `The ${name}` },
    spec: { owner, ...spec },
    relations: [{ type: 'ownedBy', targetRef: owner }, ...relations],
  };
}

const partOf = (system: string) => [
  { type: 'partOf', targetRef: `system:default/${system}` },
];

/**
 * The fixtures' payment gateway and promotions engine, a ledger that never
 * had a gate, in the payments platform; the payments platform and an empty
 * storefront in the commerce domain, which the checkout team owns.
 */
const CATALOG: Entity[] = [
  ...ENTITIES.filter(e => e.kind !== 'System'),
  entity(
    'Component',
    'ledger',
    PAYMENTS,
    { type: 'service', lifecycle: 'production', system: 'payments-platform' },
    partOf('payments-platform'),
  ),
  // Parts the roll-up leaves out: a deprecated service (whose gate is
  // NO-GO), a service the system names in its annotation, and the
  // fixtures' library (money-utils).
  {
    ...entity(
      'Component',
      'legacy-billing',
      PAYMENTS,
      {
        type: 'service',
        lifecycle: 'deprecated',
        system: 'payments-platform',
      },
      partOf('payments-platform'),
    ),
    metadata: {
      name: 'legacy-billing',
      namespace: 'default',
      annotations: { 'release-readiness/template': 'component-gate' },
    },
  },
  entity(
    'Component',
    'fraud-scoring',
    PAYMENTS,
    { type: 'service', lifecycle: 'production', system: 'payments-platform' },
    partOf('payments-platform'),
  ),
  {
    ...entity('System', 'payments-platform', PAYMENTS, { domain: 'commerce' }, [
      { type: 'hasPart', targetRef: 'component:default/payment-gateway' },
      { type: 'hasPart', targetRef: 'component:default/promotions-engine' },
      { type: 'hasPart', targetRef: 'component:default/ledger' },
      { type: 'hasPart', targetRef: 'component:default/legacy-billing' },
      { type: 'hasPart', targetRef: 'component:default/fraud-scoring' },
      { type: 'hasPart', targetRef: 'component:default/money-utils' },
      { type: 'partOf', targetRef: 'domain:default/commerce' },
    ]),
    metadata: {
      name: 'payments-platform',
      namespace: 'default',
      annotations: { 'release-readiness/rollup-exclude': ' Fraud-Scoring ,' },
    },
  },
  // A system of the GO payment gateway and the NO-GO deprecated service
  // alone: only the GO one counts.
  entity('System', 'billing-tools', PAYMENTS, {}, [
    { type: 'hasPart', targetRef: 'component:default/payment-gateway' },
    { type: 'hasPart', targetRef: 'component:default/legacy-billing' },
  ]),
  entity('System', 'storefront', CHECKOUT, { domain: 'commerce' }, [
    { type: 'partOf', targetRef: 'domain:default/commerce' },
  ]),
  entity('Domain', 'commerce', CHECKOUT, {}, [
    { type: 'hasPart', targetRef: 'system:default/payments-platform' },
    { type: 'hasPart', targetRef: 'system:default/storefront' },
  ]),
];

const byRef = (rollup: EntityRollup) =>
  Object.fromEntries(rollup.parts.map(p => [p.entityRef, p]));

describe.each(databases.eachSupportedId())(
  'the roll-up of a system and a domain on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    const get = (path: string, user = PRIYA) =>
      api.get(path).set('Authorization', as(user));

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        entities: CATALOG,
        defaultCredentials: ci as any,
        features: [teamReadPermissions.factory],
      });
      api = request(server);
      const open = async (path: string, release: string, extra = {}) => {
        const res = await api
          .post(`${BASE}/entities/${path}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release, ...extra });
        if (res.status !== 201) throw new Error(JSON.stringify(res.body));
        return res.body;
      };
      // The payment gateway is GO for 2031.1; the promotions engine has a
      // gate for an older release only; the ledger none at all.
      const ready = await driveToReady(api, '2031.1');
      const go = await api
        .post(`${BASE}/gates/${ready.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'every condition met' });
      if (go.status !== 200) throw new Error(JSON.stringify(go.body));
      await open('component/default/promotions-engine', '2030.9', {
        rapidReason: 'The older train',
      });
      const legacy = await open('component/default/legacy-billing', '2031.1');
      const noGo = await api
        .post(`${BASE}/gates/${legacy.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'no-go', reason: 'Its migrations fail' });
      if (noGo.status !== 200) throw new Error(JSON.stringify(noGo.body));
      await open('system/default/payments-platform', '2031.1');
    });

    it('leaves out libraries, deprecated parts and those the system names, saying why', async () => {
      const rollup: EntityRollup = (await get(`${SYSTEM}/rollup`)).body;
      const parts = byRef(rollup);
      expect(rollup.parts).toHaveLength(6);
      expect(rollup.counted).toBe(3);
      expect(parts['component:default/money-utils']).toMatchObject({
        excluded: 'its type is library (released on its own)',
        type: 'library',
      });
      // Shown with its failing gate, and not counted.
      expect(parts['component:default/legacy-billing']).toMatchObject({
        excluded: 'its lifecycle is deprecated',
        ready: false,
        gate: { release: '2031.1', state: 'no-go', verdict: 'NO-GO' },
      });
      expect(parts['component:default/fraud-scoring']).toMatchObject({
        excluded: 'named in the release-readiness/rollup-exclude annotation',
      });
      const counted = rollup.parts.filter(p => !p.excluded);
      expect(counted.map(p => p.entityRef)).toEqual([
        'component:default/ledger',
        'component:default/payment-gateway',
        'component:default/promotions-engine',
      ]);
    });

    it('does not let an excluded part with a failing gate block the system gate', async () => {
      const opened = await api
        .post(`${BASE}/entities/system/default/billing-tools/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '2031.1' });
      expect(opened.status).toBe(201);
      const condition = opened.body.evaluation.conditions.find(
        (c: any) => c.id === 'rollup',
      );
      expect(condition).toMatchObject({ met: true, blockers: [] });
      const rollup: EntityRollup = (
        await get(`${BASE}/entities/system/default/billing-tools/rollup`)
      ).body;
      expect(rollup).toMatchObject({ counted: 1, ready: 1 });
      // The payments platform's blocker names neither the library, nor the
      // deprecated service, nor the one it excludes.
      const readiness = (await get(SYSTEM)).body;
      const message = readiness.currentGate.evaluation.conditions
        .find((c: any) => c.id === 'rollup')
        .blockers.map((b: any) => b.message)
        .join(' ');
      expect(message).not.toMatch(/money-utils|legacy-billing|fraud-scoring/);
    });

    it("matches each component's gate on the system gate's release", async () => {
      const res = await get(`${SYSTEM}/rollup`);
      expect(res.status).toBe(200);
      const rollup: EntityRollup = res.body;
      expect(rollup).toMatchObject({
        entityRef: 'system:default/payments-platform',
        partKind: 'component',
        release: '2031.1',
        blocksGate: true,
        counted: 3,
        ready: 1,
      });
      const parts = byRef(rollup);
      expect(parts['component:default/payment-gateway']).toMatchObject({
        title: 'Payment Gateway',
        visible: true,
        ready: true,
        gate: { release: '2031.1', state: 'go', verdict: 'GO', blockers: 0 },
        currentGate: { release: '2031.1', state: 'go' },
      });
      // The system gate's manifest, proposed when it opened, matches the
      // promotions engine on the release of its current gate.
      expect(rollup.manifest).toEqual({
        'component:default/payment-gateway': '2031.1',
        'component:default/promotions-engine': '2030.9',
      });
      const promotions = parts['component:default/promotions-engine'];
      expect(promotions).toMatchObject({
        visible: true,
        ready: false,
        gate: { release: '2030.9', state: 'in-progress' },
        currentGate: { release: '2030.9', state: 'in-progress' },
      });
      // A part that never had a gate is known from the catalog alone.
      const ledger = parts['component:default/ledger'];
      expect(ledger).toMatchObject({
        title: 'The ledger',
        type: 'service',
        visible: true,
        ready: false,
      });
      expect(ledger.gate).toBeUndefined();
      expect(ledger.currentGate).toBeUndefined();
    });

    it('answers for another release when asked, and proposes one', async () => {
      const rollup: EntityRollup = (
        await get(`${SYSTEM}/rollup?release=2030.9`)
      ).body;
      expect(rollup.release).toBe('2030.9');
      expect(rollup.ready).toBe(0);
      expect(
        byRef(rollup)['component:default/promotions-engine'].gate,
      ).toMatchObject({ release: '2030.9', state: 'in-progress' });
      // 2031.1 and 2030.9 once each: the newest-sorting wins the tie.
      expect(rollup.proposedRelease).toBe('2031.1');
    });

    it("agrees with the system gate's own roll-up condition", async () => {
      const readiness = (await get(SYSTEM)).body;
      const condition = readiness.currentGate.evaluation.conditions.find(
        (c: any) => c.id === 'rollup',
      );
      expect(condition.met).toBe(false);
      expect(condition.blockers[0].message).toMatch(/^1 of 3 components/);
    });

    it('counts in the tier view exactly what the roll-up counts', async () => {
      const tier = await get(`${BASE}/portfolio/systems`);
      expect(tier.status).toBe(200);
      const rows = Object.fromEntries(
        (tier.body.items as SystemRollup[]).map(r => [r.systemRef, r]),
      );
      for (const name of ['payments-platform', 'billing-tools']) {
        const ref = `system:default/${name}`;
        const rollup: EntityRollup = (
          await get(`${BASE}/entities/system/default/${name}/rollup`)
        ).body;
        expect(rows[ref]).toMatchObject({
          release: rollup.release,
          counted: rollup.counted,
          ready: rollup.ready,
          components: rollup.parts.length,
          excluded: rollup.parts.filter(p => p.excluded).length,
        });
      }
      // The payments platform: the GO gateway, the promotions engine (on
      // the release its manifest names, in progress) and the ledger without
      // a gate count; the library, the deprecated NO-GO service and the
      // named one do not.
      expect(rows['system:default/payments-platform']).toMatchObject({
        release: '2031.1',
        components: 6,
        excluded: 3,
        counted: 3,
        ready: 1,
        go: 1,
        noGo: 0,
        inProgress: 1,
        noGate: 1,
        hidden: 0,
      });
    });

    it("shows a viewer the tier view's counts without the parts they may not read", async () => {
      const rows = (await get(`${BASE}/portfolio/systems`, HIROSHI)).body
        .items as SystemRollup[];
      // Hiroshi reads only his team's promotions engine: its system is
      // listed, but not its gate (so no release to match on), and the parts
      // he may not read are counted as hidden, never described.
      expect(rows.map(r => r.systemRef)).toEqual([
        'system:default/payments-platform',
      ]);
      expect(rows[0].system).toBeUndefined();
      expect(rows[0].release).toBeUndefined();
      expect(rows[0]).toMatchObject({
        components: 6,
        counted: 3,
        ready: 0,
        hidden: 2,
        noGate: 1,
      });
    });

    it('rolls a domain up over its systems, without blocking its gate', async () => {
      const rollup: EntityRollup = (
        await get(`${DOMAIN}/rollup?release=2031.1`)
      ).body;
      expect(rollup).toMatchObject({
        partKind: 'system',
        blocksGate: false,
        counted: 2,
        ready: 0,
      });
      const parts = byRef(rollup);
      expect(parts['system:default/payments-platform']).toMatchObject({
        visible: true,
        gate: { release: '2031.1', state: 'in-progress' },
      });
      expect(parts['system:default/storefront'].gate).toBeUndefined();
    });

    it('shows a viewer only the parts whose gates they may read', async () => {
      const res = await get(`${DOMAIN}/rollup?release=2031.1`, HIROSHI);
      expect(res.status).toBe(200);
      const hidden = byRef(res.body)['system:default/payments-platform'];
      expect(hidden).toEqual({
        entityRef: 'system:default/payments-platform',
        visible: false,
        ready: false,
      });
      // Nor may he read the payments platform's own roll-up.
      expect((await get(`${SYSTEM}/rollup`, HIROSHI)).status).toBe(403);
    });

    it('refuses kinds that have no parts to roll up', async () => {
      const res = await get(
        `${BASE}/entities/component/default/payment-gateway/rollup`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^kind: only systems and domains/);
    });
  },
);
