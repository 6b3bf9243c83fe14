/*
 * The outcome loop's roll-up (`item_outcome_rollup`) on both engines: after
 * each write through the plugin's stores it holds exactly what the released
 * gates, their items, incidents and entities' owners add up to
 * (`rollupFromScratch`, written again from the rules), and the insights
 * read from it are those read from the gates themselves (the path kept for
 * other permission conditions). The migration's backfill computes the same
 * from data written before it; the "owners" condition also counts entities
 * assigned to them, and nothing of another team.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Gate } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import {
  readRollup,
  rollupFromScratch,
} from '../__testUtils__/itemOutcomeRollup';
import {
  ENTITY,
  OTHER_ENTITY,
  PRIYA,
  TEMPLATE,
  WAIVER,
  openTestGate,
} from './__testUtils__/storeFixtures';
import { DatabaseEntityIndexStore } from './DatabaseEntityIndexStore';
import { DatabaseGateStore } from './DatabaseGateStore';
import { ItemPatch } from './GateStore';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { queryItemInsights } from './insights';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { PortfolioAccess } from './portfolio';

const ROLLUP_MIGRATION = '20261207120000_item_outcome_rollup.js';
const THIRD_ENTITY = 'component:default/payouts';
const PAYMENTS = 'group:default/payments';
const LEDGER = 'group:default/ledger';
const CHECKOUT = 'group:default/checkout';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'the item outcome roll-up on %s',
  databaseId => {
    let knex: Knex;
    let gates: DatabaseGateStore;
    let entities: DatabaseEntityIndexStore;
    let incidents: DatabaseIncidentStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      gates = DatabaseGateStore.create({ db: knex });
      entities = DatabaseEntityIndexStore.create({ db: knex });
      incidents = DatabaseIncidentStore.create({ db: knex });
    });

    afterEach(() => knex.destroy());

    const index = (entityRef: string, ownerRef?: string) =>
      entities.upsertEntity({
        entity: {
          entityRef,
          kind: 'component',
          title: entityRef,
          ...(ownerRef ? { ownerRef } : {}),
          tags: [],
        },
      });

    const setItem = async (gate: Gate, itemId: string, patch: ItemPatch) => {
      const current = (await gates.getGate({ gateId: gate.id }))!;
      const item = current.items.find(i => i.id === itemId)!;
      await gates.updateItem({
        gateId: gate.id,
        itemId,
        version: item.version,
        patch,
        actor: PRIYA,
      });
    };

    /** A gate taken to GO and released now. */
    const release = async (gate: Gate) => {
      await gates.transition({
        gateId: gate.id,
        from: ['in-progress'],
        to: 'go',
        actor: PRIYA,
        decision: { verdict: 'go', reason: 'ready', stateHash: 'h' },
      });
      return gates.transition({
        gateId: gate.id,
        from: ['go'],
        to: 'released',
        actor: PRIYA,
      });
    };

    const incident = (
      entityRef: string,
      version: string,
      severity: string,
      occurredAt: number,
    ) =>
      incidents.addIncident({
        incident: {
          entityRef,
          release: version,
          severity: severity as any,
          title: 'Errors',
          occurredAt: new Date(occurredAt).toISOString(),
          reportedBy: PRIYA,
        },
      });

    /** The roll-up's counts, and the insights from it and from the gates. */
    async function expectExact(access: PortfolioAccess = { type: 'all' }) {
      expect(await readRollup(knex)).toEqual(await rollupFromScratch(knex));
      for (const query of [
        { limit: 200 },
        { limit: 200, owner: PAYMENTS },
        { limit: 200, template: TEMPLATE.name },
        { limit: 200, template: 'system-gate' },
      ]) {
        const fast = await queryItemInsights(knex, access, query);
        const raw = await queryItemInsights(knex, access, query, {
          raw: true,
        });
        expect(fast).toEqual(raw);
      }
    }

    /** One item's releases and incidents per outcome, as the insights say. */
    async function outcomes(access: PortfolioAccess, itemId: string) {
      const res = await queryItemInsights(knex, access, { limit: 200 });
      const item = res.items.find(i => i.itemId === itemId);
      return Object.fromEntries(
        (item?.outcomes ?? []).map(o => [o.outcome, [o.releases, o.incidents]]),
      );
    }

    it('stays exact through releases, incidents, cancels and owner changes', async () => {
      const now = Date.now();
      await index(ENTITY, PAYMENTS);
      await index(OTHER_ENTITY, LEDGER);
      await expectExact();

      // Released with a waived, a failed-then-fixed and a not-applicable
      // item; then a sev2 within the window.
      const first = await openTestGate(gates, { release: '1.0.0' });
      await setItem(first, 'manual-qa', { status: 'failed' });
      await setItem(first, 'manual-qa', { status: 'passed' });
      await setItem(first, 'release-notes', {
        status: 'waived',
        waiver: WAIVER,
      });
      await setItem(first, 'smoke-test', { status: 'not-applicable' });
      await release(first);
      await expectExact();
      await incident(ENTITY, '1.0.0', 'sev2', now + DAY);
      await expectExact();
      expect(await outcomes({ type: 'all' }, 'release-notes')).toEqual({
        waived: [1, 1],
      });
      // A second incident within the window does not count twice.
      await incident(ENTITY, '1.0.0', 'sev1', now + 2 * DAY);
      await expectExact();
      expect(await outcomes({ type: 'all' }, 'manual-qa')).toEqual({
        'failed-then-fixed': [1, 1],
      });

      // An incident before the release, a sev3 within the window and a
      // sev2 after it: none counts.
      const second = await openTestGate(gates, { release: '1.1.0' });
      await incident(ENTITY, '1.1.0', 'sev1', now - HOUR);
      await release(second);
      await incident(ENTITY, '1.1.0', 'sev3', now + DAY);
      await incident(ENTITY, '1.1.0', 'sev2', now + 15 * DAY);
      await expectExact();
      expect(await outcomes({ type: 'all' }, 'release-notes')).toEqual({
        waived: [1, 1],
        passed: [1, 0],
      });

      // An incident reported before its release had a gate: it still
      // followed the release when the gate is released before it occurred.
      await incident(OTHER_ENTITY, '2.0.0', 'sev2', now + DAY);
      const ungated = await openTestGate(gates, {
        release: '2.0.0',
        entityRef: OTHER_ENTITY,
      });
      await release(ungated);
      await expectExact();

      // Cancelled (with a waiver) and still open gates count nothing.
      const cancelled = await openTestGate(gates, { release: '3.0.0' });
      await setItem(cancelled, 'release-notes', {
        status: 'waived',
        waiver: WAIVER,
      });
      await gates.transition({
        gateId: cancelled.id,
        from: ['in-progress'],
        to: 'cancelled',
        actor: PRIYA,
      });
      await openTestGate(gates, { release: '4.0.0' });
      await incident(ENTITY, '3.0.0', 'sev1', now + DAY);
      await expectExact();
      const total = await queryItemInsights(knex, { type: 'all' }, {});
      expect(total.items.find(i => i.itemId === 'manual-qa')).toMatchObject({
        releases: 3,
        incidents: 2,
      });

      // The owner changes: the gates move to the new owner's rows.
      await index(ENTITY, CHECKOUT);
      await expectExact();
      await expectExact({
        type: 'conditional',
        criteria: { ownerRefsAnyOf: [CHECKOUT] },
      });
      expect(
        await outcomes(
          { type: 'conditional', criteria: { ownerRefsAnyOf: [PAYMENTS] } },
          'release-notes',
        ),
      ).toEqual({});
      expect(
        await outcomes(
          { type: 'conditional', criteria: { ownerRefsAnyOf: [CHECKOUT] } },
          'release-notes',
        ),
      ).toEqual({ waived: [1, 1], passed: [1, 0] });

      // Entities that leave the index keep their gates, with no owner.
      await entities.removeStaleEntities({
        kinds: ['component'],
        before: new Date(Date.now() + 60_000).toISOString(),
      });
      await expectExact();
      expect(
        (await readRollup(knex)).rollup.every(row => row.owner_ref === ''),
      ).toBe(true);
      await index(ENTITY, PAYMENTS);
      await expectExact();
    });

    it('counts the entities assigned to the owners, and no other team', async () => {
      const now = Date.now();
      await index(ENTITY, PAYMENTS);
      await index(OTHER_ENTITY, LEDGER);
      await index(THIRD_ENTITY, LEDGER);
      // Payments also holds the gates of the ledger's OTHER_ENTITY.
      await entities.setAssignments({
        entityRef: OTHER_ENTITY,
        ownerRefs: [PAYMENTS],
        actor: PRIYA,
      });
      for (const entityRef of [ENTITY, OTHER_ENTITY, THIRD_ENTITY]) {
        const gate = await openTestGate(gates, { entityRef });
        await setItem(gate, 'release-notes', {
          status: 'waived',
          waiver: WAIVER,
        });
        await release(gate);
        await incident(entityRef, '1.0.0', 'sev2', now + DAY);
      }
      const payments: PortfolioAccess = {
        type: 'conditional',
        criteria: { ownerRefsAnyOf: [PAYMENTS] },
      };
      expect(await outcomes(payments, 'release-notes')).toEqual({
        waived: [2, 2],
      });
      expect(
        await outcomes(
          { type: 'conditional', criteria: { ownerRefsAnyOf: [CHECKOUT] } },
          'release-notes',
        ),
      ).toEqual({});
      // The same as the gates themselves say, under the same condition in
      // a shape the roll-up cannot answer (so read from the gates).
      await expectExact(payments);
      for (const query of [{}, { owner: LEDGER }, { owner: PAYMENTS }]) {
        expect(await queryItemInsights(knex, payments, query)).toEqual(
          await queryItemInsights(
            knex,
            {
              type: 'conditional',
              criteria: { allOf: [{ ownerRefsAnyOf: [PAYMENTS] }] },
            },
            query,
          ),
        );
      }
      expect(
        (await queryItemInsights(knex, payments, { owner: LEDGER })).items.find(
          i => i.itemId === 'release-notes',
        ),
      ).toMatchObject({ releases: 1 });
      expect(
        (await queryItemInsights(knex, { type: 'none' }, {})).items,
      ).toEqual([]);
    });

    it('reads the period in whole months, and says which', async () => {
      const res = await queryItemInsights(
        knex,
        { type: 'all' },
        {
          from: '2026-03-15T10:00:00.000Z',
          to: '2026-05-02T00:00:00.000Z',
        },
      );
      expect([res.from, res.to]).toEqual([
        '2026-03-01T00:00:00.000Z',
        '2026-06-01T00:00:00.000Z',
      ]);
      const whole = await queryItemInsights(
        knex,
        { type: 'all' },
        { from: '2026-03-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z' },
      );
      expect([whole.from, whole.to]).toEqual([
        '2026-03-01T00:00:00.000Z',
        '2026-05-01T00:00:00.000Z',
      ]);
    });

    it('backfills the metrics columns and the roll-up from data written before it', async () => {
      const now = Date.now();
      await index(ENTITY, PAYMENTS);
      await index(OTHER_ENTITY);
      for (const [entityRef, version, waived] of [
        [ENTITY, '1.0.0', true],
        [ENTITY, '1.1.0', false],
        [OTHER_ENTITY, '1.0.0', true],
      ] as const) {
        const gate = await openTestGate(gates, { entityRef, release: version });
        await setItem(gate, 'manual-qa', { status: 'failed' });
        await setItem(gate, 'manual-qa', { status: 'passed' });
        if (waived) {
          await setItem(gate, 'release-notes', {
            status: 'waived',
            waiver: WAIVER,
          });
        }
        await release(gate);
      }
      await openTestGate(gates, { release: '2.0.0' });
      await incident(ENTITY, '1.0.0', 'sev2', now + DAY);
      await incident(OTHER_ENTITY, '1.0.0', 'sev3', now + DAY);
      await index(ENTITY, CHECKOUT);

      const metrics = () =>
        knex('gate_metrics')
          .orderBy('gate_id')
          .select(
            'gate_id',
            'template_name',
            'released_month',
            'incident_after_release',
          )
          .then(rows =>
            rows.map(r => ({
              ...r,
              incident_after_release: Boolean(r.incident_after_release),
            })),
          );
      const rollup = (table = 'item_outcome_rollup') =>
        knex(table)
          .select()
          .then(rows =>
            rows
              .map(r => ({
                ...r,
                releases: Number(r.releases),
                incidents: Number(r.incidents),
                automated: Boolean(r.automated),
              }))
              .sort((a, b) =>
                `${a.owner_ref} ${a.month} ${a.item_id} ${a.outcome}`.localeCompare(
                  `${b.owner_ref} ${b.month} ${b.item_id} ${b.outcome}`,
                ),
              ),
          );
      const written = {
        metrics: await metrics(),
        rollup: await rollup(),
        totals: await rollup('item_outcome_totals'),
      };
      expect(written.rollup).toContainEqual(
        expect.objectContaining({
          owner_ref: CHECKOUT,
          item_id: 'unit-tests',
          outcome: 'passed',
          releases: 2,
          incidents: 1,
          title: 'Unit tests pass',
          automated: true,
        }),
      );
      expect(written.rollup).toContainEqual(
        expect.objectContaining({
          owner_ref: '',
          item_id: 'release-notes',
          outcome: 'waived',
          releases: 1,
          incidents: 0,
          automated: false,
        }),
      );

      expect(written.totals).toContainEqual(
        expect.objectContaining({
          item_id: 'unit-tests',
          outcome: 'passed',
          releases: 3,
          incidents: 1,
          automated: true,
        }),
      );

      await knex.migrate.down({
        directory: MIGRATIONS_DIRECTORY,
        name: ROLLUP_MIGRATION,
      });
      expect(await knex.schema.hasTable('item_outcome_rollup')).toBe(false);
      expect(await knex.schema.hasTable('item_outcome_totals')).toBe(false);
      expect(
        await knex.schema.hasColumn('gate_metrics', 'released_month'),
      ).toBe(false);
      await knex.migrate.up({
        directory: MIGRATIONS_DIRECTORY,
        name: ROLLUP_MIGRATION,
      });
      expect(await metrics()).toEqual(written.metrics);
      expect(await rollup()).toEqual(written.rollup);
      expect(await rollup('item_outcome_totals')).toEqual(written.totals);
      expect(await readRollup(knex)).toEqual(await rollupFromScratch(knex));
    });
  },
);
