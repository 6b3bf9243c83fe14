/*
 * The planned time is checked where it is written: on the gate row the
 * writing transaction reads, not on a copy read before. A caller holding a
 * stale "in progress" copy of a gate cancelled since is refused, and
 * nothing is written; a stale version is refused the same way. Both engines.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  expectConflict,
  openTestGate,
  PRIYA,
  SAM,
} from './__testUtils__/storeFixtures';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { DatabaseGateStore } from './DatabaseGateStore';
import { MIGRATIONS_DIRECTORY } from './migrations';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PLANNED = '2030-03-02T08:00:00.000Z';

describe.each(databases.eachSupportedId())(
  'the planned time in the store, on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseGateStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      store = DatabaseGateStore.create({ db: knex });
    });

    afterEach(() => knex.destroy());

    const plannedEvents = async (gateId: string) =>
      (
        await DatabaseAuditLog.create({ db: knex }).listAudit({ gateId })
      ).filter(e => e.action === 'gate.planned');

    it('writes the time, bumps the version and audits before and after', async () => {
      const gate = await openTestGate(store);
      const moved = await store.setPlannedTime({
        gateId: gate.id,
        plannedAt: PLANNED,
        expectedVersion: gate.version,
        actor: SAM,
      });
      expect(moved.plannedAt).toBe(PLANNED);
      expect(moved.version).toBe(gate.version + 1);
      expect(await plannedEvents(gate.id)).toEqual([
        expect.objectContaining({
          actor: SAM,
          before: { plannedAt: null },
          after: { plannedAt: PLANNED },
        }),
      ]);
    });

    it('refuses a gate cancelled after the caller read it, writing nothing', async () => {
      const stale = await openTestGate(store);
      await store.transition({
        gateId: stale.id,
        from: ['in-progress'],
        to: 'cancelled',
        actor: PRIYA,
        reason: 'Wrong release',
      });
      // The caller still holds the copy that says "in progress".
      expect(stale.state).toBe('in-progress');
      const error = await expectConflict(
        store.setPlannedTime({
          gateId: stale.id,
          plannedAt: PLANNED,
          actor: SAM,
        }),
      );
      expect(error.message).toContain(
        'can only be changed while it is in progress',
      );
      const stored = await store.getGate({ gateId: stale.id });
      expect(stored?.plannedAt).toBeUndefined();
      expect(await plannedEvents(stale.id)).toEqual([]);
    });

    it('refuses a version that moved on', async () => {
      const gate = await openTestGate(store);
      await store.setPlannedTime({
        gateId: gate.id,
        plannedAt: PLANNED,
        expectedVersion: gate.version,
        actor: SAM,
      });
      await expectConflict(
        store.setPlannedTime({
          gateId: gate.id,
          plannedAt: '2030-04-01T08:00:00.000Z',
          expectedVersion: gate.version,
          actor: PRIYA,
        }),
      );
      expect((await store.getGate({ gateId: gate.id }))?.plannedAt).toBe(
        PLANNED,
      );
    });
  },
);
