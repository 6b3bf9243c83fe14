import { TestDatabases } from '@backstage/backend-test-utils';
import { GateTemplate } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { DatabaseWindowStore } from '../database';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { PRIYA } from '../__testUtils__/fixtures';
import { createTestService } from '../__testUtils__/service';
import { GateDomain } from '../gates';
import { runSummaryRefresh } from './summaryRefresh';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const GATEWAY = 'component:default/payment-gateway';
const PROMOTIONS = 'component:default/promotions-engine';

describe.each(databases.eachSupportedId())(
  'the summary refresh on %s',
  databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    });

    const open = (
      domain: GateDomain,
      entityRef: string,
      release: string,
      template: GateTemplate,
    ) =>
      domain.changes.changeGate(entityRef, stores =>
        stores.gates.openGate({
          entityRef,
          release,
          template,
          items: [],
          plannedAt: '2030-12-24T10:00:00.000Z',
          requestedBy: PRIYA,
          ...(template.rapid ? { rapidReason: 'Checkout is down' } : {}),
        }),
      );

    const summaries = async () =>
      Object.fromEntries(
        (
          await knex('entities')
            .orderBy('entity_ref')
            .select('entity_ref', 'current_gate_id', 'current_blockers')
        ).map(r => [
          r.entity_ref,
          [r.current_gate_id, r.current_blockers ?? null],
        ]),
      );

    it('lists the current gate of each entity, page by page', async () => {
      const { domain, gates } = await createTestService(knex);
      const component = domain.access.getTemplate('component-gate')!;
      const rapid = domain.access.getTemplate('rapid-release')!;
      const older = await open(domain, GATEWAY, '1.0.0', component);
      await new Promise(resolve => setTimeout(resolve, 5));
      const newer = await open(domain, GATEWAY, '1.1.0', component);
      await new Promise(resolve => setTimeout(resolve, 5));
      const cancelled = await open(domain, GATEWAY, '1.2.0', component);
      await gates.transition({
        gateId: cancelled.id,
        from: ['in-progress'],
        to: 'cancelled',
        actor: PRIYA,
        reason: 'Wrong branch',
      });
      const promotions = await open(domain, PROMOTIONS, '0.9.0', rapid);

      const first = await gates.listCurrentGates({ limit: 1 });
      expect(first.map(g => g.id)).toEqual([newer.id]);
      const second = await gates.listCurrentGates({
        after: first[0].entityRef,
        limit: 1,
      });
      expect(second.map(g => g.id)).toEqual([promotions.id]);
      expect(
        await gates.listCurrentGates({ after: PROMOTIONS, limit: 1 }),
      ).toEqual([]);
      expect((await gates.listCurrentGates()).map(g => g.id)).not.toContain(
        older.id,
      );
    });

    it('brings every summary up to a window created since the last change', async () => {
      const { domain, gates } = await createTestService(knex);
      const gateway = await open(
        domain,
        GATEWAY,
        '1.0.0',
        domain.access.getTemplate('component-gate')!,
      );
      const promotions = await open(
        domain,
        PROMOTIONS,
        '0.9.0',
        domain.access.getTemplate('rapid-release')!,
      );
      const before = await summaries();
      expect(before[GATEWAY]).toEqual([
        gateway.id,
        gateway.evaluation.blockers.length,
      ]);

      // A freeze over both gates' planned time, created as the API does.
      await DatabaseWindowStore.create({ db: knex }).createWindow({
        window: {
          id: 'year-end',
          name: 'Year-end freeze',
          kind: 'freeze',
          from: '2030-12-20T00:00:00.000Z',
          to: '2031-01-04T00:00:00.000Z',
          scope: { all: true },
          approvers: [],
        },
        actor: PRIYA,
      });
      expect(await summaries()).toEqual(before);

      expect(await runSummaryRefresh({ domain, gates })).toBe(2);
      expect(await summaries()).toEqual({
        ...before,
        [GATEWAY]: [gateway.id, gateway.evaluation.blockers.length + 1],
        [PROMOTIONS]: [
          promotions.id,
          promotions.evaluation.blockers.length + 1,
        ],
      });
    });
    it('never evaluates a released or rolled-back gate again: it keeps no blockers and the summary it closed with', async () => {
      const { domain, gates } = await createTestService(knex);
      const gateway = await open(
        domain,
        GATEWAY,
        '1.0.0',
        domain.access.getTemplate('component-gate')!,
      );
      const promotions = await open(
        domain,
        PROMOTIONS,
        '0.9.0',
        domain.access.getTemplate('rapid-release')!,
      );
      expect(gateway.evaluation.blockers.length).toBeGreaterThan(0);
      // Set up as released straight in the store: the rules of a release
      // are tested elsewhere; this is about what the summary shows after.
      const released = await domain.changes.changeGate(GATEWAY, stores =>
        stores.gates.transition({
          gateId: gateway.id,
          from: ['in-progress'],
          to: 'released',
          actor: PRIYA,
        }),
      );
      const row = () =>
        knex('entities')
          .where('entity_ref', GATEWAY)
          .first(
            'current_state',
            'current_verdict',
            'current_score',
            'current_blockers',
          );
      const closed = await row();
      expect(closed).toMatchObject({
        current_state: 'released',
        current_verdict: 'GO',
        current_blockers: 0,
      });
      expect(released.evaluation.blockers.length).toBeGreaterThan(0);

      // A freeze over the planned time: an open gate gains a blocker, the
      // released one is not evaluated again.
      await DatabaseWindowStore.create({ db: knex }).createWindow({
        window: {
          id: 'year-end',
          name: 'Year-end freeze',
          kind: 'freeze',
          from: '2030-12-20T00:00:00.000Z',
          to: '2031-01-04T00:00:00.000Z',
          scope: { all: true },
          approvers: [],
        },
        actor: PRIYA,
      });
      await runSummaryRefresh({ domain, gates });
      expect(await row()).toEqual(closed);
      const open2 = await knex('entities')
        .where('entity_ref', PROMOTIONS)
        .first('current_blockers');
      expect(Number(open2.current_blockers)).toBe(
        promotions.evaluation.blockers.length + 1,
      );
      // Reading the gate (the tab) does not evaluate its summary again.
      await domain.changes.withEvaluation(released);
      expect(await row()).toEqual(closed);

      // Rolled back: shown by that state, still without blockers.
      await domain.changes.changeGate(GATEWAY, stores =>
        stores.gates.transition({
          gateId: gateway.id,
          from: ['released'],
          to: 'rolled-back',
          actor: PRIYA,
          reason: 'Error rate up',
        }),
      );
      expect(await row()).toMatchObject({
        current_state: 'rolled-back',
        current_blockers: 0,
      });
    });
  },
);
