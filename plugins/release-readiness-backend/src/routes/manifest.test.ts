/*
 * A system gate's release manifest and its template's roll-up rules,
 * through the HTTP API on both databases: the manifest proposed when the
 * gate opens, the roll-up matching each component on the release it names,
 * the gate owners replacing it (audited, votes made stale), and everyone
 * the rule is meant to stop: another team, a pipeline's token, a key that
 * is not a counted component, two edits at once, a gate already decided.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityRollup } from '@release-readiness/plugin-common';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  as,
  ENTITIES,
  HIROSHI,
  PRIYA,
  startReadinessBackend,
  TEMPLATE_FILES,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { driveToReady } from '../__testUtils__/readyGate';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PAYMENTS = 'group:default/payments';
const GATEWAY = 'component:default/payment-gateway';
const LEDGER = 'component:default/ledger';
const PROMOTIONS = 'component:default/promotions-engine';

const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

/**
 * The repository's system template with rules of its own: components
 * tagged `not-shipped` do not count either.
 */
function templatesWithTaggedExclusion(): string[] {
  const original = TEMPLATE_FILES.find(f => f.endsWith('system-gate.yaml'))!;
  const text = readFileSync(original, 'utf8').replace(
    '    excludeLifecycles: [deprecated, experimental]\n',
    '    excludeLifecycles: [deprecated, experimental]\n    excludeTags: [not-shipped]\n',
  );
  if (!text.includes('excludeTags: [not-shipped]')) {
    throw new Error('system-gate.yaml no longer has the rollup rules');
  }
  const file = join(
    mkdtempSync(join(tmpdir(), 'rr-templates-')),
    'system.yaml',
  );
  writeFileSync(file, text);
  return [...TEMPLATE_FILES.filter(f => f !== original), file];
}

function component(
  name: string,
  system: string,
  extra: { tags?: string[] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...extra },
    spec: { type: 'service', lifecycle: 'production', owner: PAYMENTS, system },
    relations: [
      { type: 'ownedBy', targetRef: PAYMENTS },
      { type: 'partOf', targetRef: `system:default/${system}` },
    ],
  };
}

function systemOf(name: string, parts: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name, namespace: 'default' },
    spec: { owner: PAYMENTS },
    relations: [
      { type: 'ownedBy', targetRef: PAYMENTS },
      ...parts.map(targetRef => ({ type: 'hasPart', targetRef })),
    ],
  };
}

const CATALOG: Entity[] = [
  ...ENTITIES.filter(e => e.kind !== 'System'),
  component('ledger', 'payments-platform'),
  component('feature-flags', 'payments-platform', { tags: ['not-shipped'] }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'payments-api', namespace: 'default' },
    spec: { type: 'openapi', lifecycle: 'production', owner: PAYMENTS },
    relations: [{ type: 'ownedBy', targetRef: PAYMENTS }],
  },
  systemOf('payments-platform', [
    GATEWAY,
    PROMOTIONS,
    LEDGER,
    'component:default/money-utils',
    'component:default/feature-flags',
    'api:default/payments-api',
  ]),
  systemOf('billing', [GATEWAY, LEDGER]),
  systemOf('reporting', [GATEWAY, LEDGER]),
];

describe.each(databases.eachSupportedId())(
  "a system gate's release manifest on %s",
  databaseId => {
    let api: ReturnType<typeof request>;
    let systemGate: any;

    const open = (path: string, body: object, user = PRIYA) =>
      api
        .post(`${BASE}/entities/${path}/gates`)
        .set('Authorization', as(user))
        .send(body);
    const putManifest = (gate: any, body: object, user = PRIYA) =>
      api
        .put(`${BASE}/gates/${gate.id}/manifest`)
        .set('Authorization', as(user))
        .send(body);
    const rollupOf = async (name: string): Promise<EntityRollup> =>
      (
        await api
          .get(`${BASE}/entities/system/default/${name}/rollup`)
          .set('Authorization', as(PRIYA))
      ).body;
    const rollupCondition = (gate: any) =>
      gate.evaluation.conditions.find((c: any) => c.id === 'rollup');

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        entities: CATALOG,
        defaultCredentials: ci as any,
        config: { templates: templatesWithTaggedExclusion() },
        // The real policy: only gate owners may edit a gate.
        features: [policyPermissions.factory],
      });
      api = request(server);
      // The payment gateway is GO for 2031.1; the ledger has a gate for its
      // own version 4.2.0; the promotions engine none.
      const ready = await driveToReady(api, '2031.1');
      const go = await api
        .post(`${BASE}/gates/${ready.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'every condition met' });
      if (go.status !== 200) throw new Error(JSON.stringify(go.body));
      const ledger = await open('component/default/ledger', {
        release: '4.2.0',
      });
      if (ledger.status !== 201) throw new Error(JSON.stringify(ledger.body));
      const opened = await open('system/default/payments-platform', {
        release: '2031.12',
      });
      if (opened.status !== 201) throw new Error(JSON.stringify(opened.body));
      systemGate = opened.body;
    });

    it("proposes the manifest from the counted components' current gates", async () => {
      // Neither the library, nor the component the template's tag rule
      // leaves out, nor the promotions engine (no gate: matched on the
      // system's release), nor the API (not a kind the template counts).
      expect(systemGate.manifest).toEqual({
        [GATEWAY]: '2031.1',
        [LEDGER]: '4.2.0',
      });
      const trail = await api
        .get(`${BASE}/gates/${systemGate.id}/audit`)
        .set('Authorization', as(PRIYA));
      const openEvent = trail.body.items.find(
        (e: any) => e.action === 'gate.open',
      );
      expect(openEvent.after.manifest).toEqual(systemGate.manifest);
    });

    it("counts parts by the template's rules, saying why a part does not count", async () => {
      const rollup = await rollupOf('payments-platform');
      const parts = Object.fromEntries(rollup.parts.map(p => [p.entityRef, p]));
      expect(Object.keys(parts).sort()).toEqual(
        [
          GATEWAY,
          LEDGER,
          PROMOTIONS,
          'component:default/feature-flags',
          'component:default/money-utils',
        ].sort(),
      );
      expect(parts['component:default/feature-flags'].excluded).toBe(
        'it is tagged not-shipped',
      );
      expect(parts['component:default/money-utils'].excluded).toMatch(
        /library/,
      );
      expect(rollup.counted).toBe(3);
    });

    it('matches each component on the release the manifest names', async () => {
      const rollup = await rollupOf('payments-platform');
      expect(rollup.manifest).toEqual(systemGate.manifest);
      const parts = Object.fromEntries(rollup.parts.map(p => [p.entityRef, p]));
      expect(parts[GATEWAY]).toMatchObject({
        ready: true,
        gate: { release: '2031.1', state: 'go' },
      });
      expect(parts[LEDGER]).toMatchObject({
        ready: false,
        gate: { release: '4.2.0', state: 'in-progress' },
      });
      expect(parts[PROMOTIONS].gate).toBeUndefined();
      expect(rollup.ready).toBe(1);
      expect(rollupCondition(systemGate).blockers[0].message).toMatch(
        /^1 of 3 components/,
      );
    });

    it('lets a gate owner replace it: re-evaluated, audited, earlier votes stale', async () => {
      const voted = await api
        .post(`${BASE}/gates/${systemGate.id}/signoffs`)
        .set('Authorization', as(TOMASZ))
        .send({ role: 'engineering', verdict: 'ready' });
      expect(voted.status).toBe(201);
      const engineering = (gate: any) =>
        gate.evaluation.roles.find((r: any) => r.role === 'engineering');
      const before = (
        await api
          .get(`${BASE}/gates/${systemGate.id}`)
          .set('Authorization', as(PRIYA))
      ).body;
      expect(engineering(before)).toMatchObject({
        staleVoters: [],
        met: true,
      });

      // The gateway ships an older release, which has no gate: it no longer
      // counts as ready.
      const moved = await putManifest(systemGate, {
        manifest: { [GATEWAY]: '2030.1', [LEDGER]: '4.2.0' },
        version: before.version,
      });
      expect(moved.status).toBe(200);
      expect(moved.body.manifest).toEqual({
        [GATEWAY]: '2030.1',
        [LEDGER]: '4.2.0',
      });
      expect(rollupCondition(moved.body).blockers[0].message).toMatch(
        /^0 of 3 components/,
      );
      expect(moved.body.checklistRevision).toBe(before.checklistRevision + 1);
      expect(engineering(moved.body).staleVoters).toEqual([TOMASZ]);
      expect((await rollupOf('payments-platform')).ready).toBe(0);

      const back = await putManifest(systemGate, {
        manifest: { [GATEWAY]: '2031.1', [LEDGER]: '4.2.0' },
      });
      expect(back.status).toBe(200);
      expect(rollupCondition(back.body).blockers[0].message).toMatch(
        /^1 of 3 components/,
      );
      systemGate = back.body;

      const trail = await api
        .get(`${BASE}/gates/${systemGate.id}/audit`)
        .set('Authorization', as(PRIYA));
      const changes = trail.body.items.filter(
        (e: any) => e.action === 'gate.manifest',
      );
      expect(changes).toEqual([
        expect.objectContaining({
          actor: PRIYA,
          before: { manifest: { [GATEWAY]: '2031.1', [LEDGER]: '4.2.0' } },
          after: { manifest: { [GATEWAY]: '2030.1', [LEDGER]: '4.2.0' } },
        }),
        expect.objectContaining({
          actor: PRIYA,
          before: { manifest: { [GATEWAY]: '2030.1', [LEDGER]: '4.2.0' } },
          after: { manifest: { [GATEWAY]: '2031.1', [LEDGER]: '4.2.0' } },
        }),
      ]);
    });

    it('refuses another team, a pipeline token and keys that are not counted components', async () => {
      const manifest = { [GATEWAY]: '2031.1' };
      const other = await putManifest(systemGate, { manifest }, HIROSHI);
      expect(other.status).toBe(403);
      expect(other.body.error.message).toMatch(/gate owners/);
      const pipeline = await api
        .put(`${BASE}/gates/${systemGate.id}/manifest`)
        .send({ manifest });
      expect([401, 403]).toContain(pipeline.status);

      for (const [bad, message] of [
        [
          { 'component:default/money-utils': '1.0.0' },
          /money-utils is not a component this system's roll-up counts/,
        ],
        [
          { 'component:default/feature-flags': '1.0.0' },
          /feature-flags is not a component/,
        ],
        [
          { 'component:default/elsewhere': '1.0.0' },
          /elsewhere is not a component/,
        ],
        [{ [GATEWAY]: '   ' }, /manifest/],
      ] as const) {
        const res = await putManifest(systemGate, { manifest: bad });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
      }
      // Nothing of it was written.
      const gate = (
        await api
          .get(`${BASE}/gates/${systemGate.id}`)
          .set('Authorization', as(PRIYA))
      ).body;
      expect(gate.manifest).toEqual({ [GATEWAY]: '2031.1', [LEDGER]: '4.2.0' });
    });

    it('lets one of two edits made on the same version win, and says so to the other', async () => {
      const version = systemGate.version;
      const [a, b] = await Promise.all([
        putManifest(systemGate, {
          manifest: { [GATEWAY]: '2031.1', [LEDGER]: '4.2.1' },
          version,
        }),
        putManifest(systemGate, {
          manifest: { [GATEWAY]: '2031.1', [LEDGER]: '4.3.0' },
          version,
        }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body.error.message).toMatch(/someone else changed it/);
      const winner = a.status === 200 ? a : b;
      systemGate = winner.body;
    });

    it('takes a manifest given when the gate opens, checked the same way', async () => {
      const refused = await open('system/default/billing', {
        release: '7',
        manifest: { 'component:default/money-utils': '1.0.0' },
      });
      expect(refused.status).toBe(400);
      expect(
        (
          await api
            .get(`${BASE}/entities/system/default/billing`)
            .set('Authorization', as(PRIYA))
        ).body.currentGate,
      ).toBeFalsy();
      const opened = await open('system/default/billing', {
        release: '7',
        manifest: { [LEDGER]: '4.2.0' },
      });
      expect(opened.status).toBe(201);
      expect(opened.body.manifest).toEqual({ [LEDGER]: '4.2.0' });
      // A component gate takes no manifest.
      const forComponent = await open('component/default/ledger', {
        release: '5.0.0',
        manifest: { [LEDGER]: '5.0.0' },
      });
      expect(forComponent.status).toBe(400);
      expect(forComponent.body.error.message).toMatch(/only a system/);
    });

    it('is fixed once the gate is decided', async () => {
      const opened = await open('system/default/reporting', { release: '8' });
      expect(opened.status).toBe(201);
      const noGo = await api
        .post(`${BASE}/gates/${opened.body.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'no-go', reason: 'The ledger is not ready' });
      expect(noGo.status).toBe(200);
      const res = await putManifest(opened.body, {
        manifest: { [LEDGER]: '4.2.0' },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(
        /only be changed while it is in progress/,
      );
    });
  },
);
