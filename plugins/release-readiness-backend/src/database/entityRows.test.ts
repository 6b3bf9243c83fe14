/*
 * An entity read with its gate owner assignments in one statement (issue
 * 20): the assignments kept with the entity object are those stored, a
 * change that sets them inside a transaction keeps the new ones with the
 * entity that transaction read, and the transaction's read locks the row.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  ENTITY,
  openTestGate,
  OTHER_ENTITY,
  PRIYA,
} from './__testUtils__/storeFixtures';
import { DatabaseGateStore } from './DatabaseGateStore';
import { DatabaseEntityIndexStore } from './DatabaseEntityIndexStore';
import { EntityInfo } from './EntityIndexStore';
import { DatabaseWindowStore } from './DatabaseWindowStore';
import {
  assignmentsReadWith,
  ENTITY_COLUMNS,
  windowsReadWith,
} from './entityRows';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { DatabaseStoreTransactions } from './transactions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const info = (entityRef: string, title = 'Payment Gateway'): EntityInfo => ({
  entityRef,
  kind: 'component',
  title,
  type: 'service',
  lifecycle: 'production',
  ownerRef: 'group:default/payments',
  tags: [],
  templateName: 'component-gate',
  tier: 1,
});

describe.each(databases.eachSupportedId())(
  'entity rows with their assignments, on %s',
  databaseId => {
    let knex: Knex;
    let entities: DatabaseEntityIndexStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      entities = DatabaseEntityIndexStore.create({ db: knex });
      await entities.upsertEntity({ entity: info(ENTITY) });
      await entities.upsertEntity({ entity: info(OTHER_ENTITY, 'Ledger') });
    });

    afterEach(() => knex.destroy());

    const assign = (entityRef: string, ownerRefs: string[]) =>
      entities.setAssignments({ entityRef, ownerRefs, actor: PRIYA });

    it('keeps with the entity read the assignments stored, in owner order, and none for an entity with none', async () => {
      await assign(ENTITY, ['user:default/sam', 'group:default/sre']);

      const read = await entities.getEntity({ entityRef: ENTITY });
      expect(assignmentsReadWith(read)).toEqual(
        await entities.listAssignments({ entityRef: ENTITY }),
      );
      expect(assignmentsReadWith(read)!.map(a => a.ownerRef)).toEqual([
        'group:default/sre',
        'user:default/sam',
      ]);
      const other = await entities.getEntity({ entityRef: OTHER_ENTITY });
      expect(assignmentsReadWith(other)).toEqual([]);
      // An entity object no read returned carries nothing.
      expect(assignmentsReadWith(info(ENTITY))).toBeUndefined();
    });

    it('keeps them with what upsertEntity returns, written or not', async () => {
      await assign(ENTITY, ['user:default/sam']);
      const unchanged = await entities.upsertEntity({ entity: info(ENTITY) });
      const renamed = await entities.upsertEntity({
        entity: info(ENTITY, 'Payment Gateway v2'),
      });
      for (const returned of [unchanged, renamed]) {
        expect(assignmentsReadWith(returned)!.map(a => a.ownerRef)).toEqual([
          'user:default/sam',
        ]);
      }
    });

    it('keeps the assignments a change set with the entity its transaction read, and no other', async () => {
      await assign(ENTITY, ['user:default/sam']);
      const transactions = DatabaseStoreTransactions.create({ db: knex });

      const seen = await transactions.forEntity(ENTITY, async (stores, at) => {
        const before = assignmentsReadWith(at.entity)!.map(a => a.ownerRef);
        await stores.entities.setAssignments({
          entityRef: ENTITY,
          ownerRefs: ['group:default/sre'],
          actor: PRIYA,
        });
        // Another entity's assignments, set in the same transaction, are
        // not this entity's.
        await stores.entities.setAssignments({
          entityRef: OTHER_ENTITY,
          ownerRefs: ['user:default/nadia'],
          actor: PRIYA,
        });
        return {
          before,
          after: assignmentsReadWith(at.entity),
        };
      });

      expect(seen.before).toEqual(['user:default/sam']);
      expect(seen.after).toEqual(
        await entities.listAssignments({ entityRef: ENTITY }),
      );
      expect(seen.after!.map(a => a.ownerRef)).toEqual(['group:default/sre']);
    });

    it('keeps with the entity read the release windows in force, as the window store lists them, and not the retired ones', async () => {
      const windowStore = DatabaseWindowStore.create({ db: knex });
      const window = (id: string, kind: 'freeze' | 'train') => ({
        id,
        name: `Window ${id}`,
        kind,
        from: '2030-12-20T00:00:00.000Z',
        to: '2031-01-04T00:00:00.000Z',
        scope: { all: true },
        approvers: [],
      });
      expect(
        windowsReadWith(await entities.getEntity({ entityRef: ENTITY })),
      ).toEqual([]);
      await windowStore.createWindow({
        window: window('year-end', 'freeze'),
        actor: PRIYA,
      });
      const retired = await windowStore.createWindow({
        window: window('old-freeze', 'freeze'),
        actor: PRIYA,
      });
      await windowStore.retireWindow({
        windowId: retired.id,
        expectedVersion: retired.version!,
        actor: PRIYA,
        reason: 'Replaced',
      });

      const read = windowsReadWith(
        await entities.getEntity({ entityRef: ENTITY }),
      );
      expect(read).toEqual(await windowStore.listWindows());
      expect(read!.map(w => w.id)).toEqual(['year-end']);
    });

    it("names every column of the entities table a gate's read carries of its entity (SQLite builds the row by name)", async () => {
      const columns = Object.keys(await knex('entities').columnInfo());
      // The generated verdict column (portfolio) is not the entity's to carry.
      expect(columns.filter(c => c !== 'open_verdict').sort()).toEqual(
        [...ENTITY_COLUMNS].sort(),
      );
    });

    it('reads a gate with its entity row as the entity store reads that row: facts, assignments, windows and summary', async () => {
      await assign(ENTITY, ['user:default/sam', 'group:default/sre']);
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
      const gates = DatabaseGateStore.create({ db: knex });
      const gate = await openTestGate(gates);
      const summary = {
        gateId: gate.id,
        release: gate.release,
        state: 'in-progress' as const,
        verdict: 'IN PROGRESS' as const,
        score: 40,
        blockers: 3,
        plannedAt: '2030-12-01T10:00:00.000Z',
      };
      await entities.setGateSummary({
        entityRef: ENTITY,
        gateId: gate.id,
        gateVersion: gate.version,
        summary,
      });
      const other = await openTestGate(gates, {
        entityRef: 'component:default/not-indexed',
      });

      const read = await gates.getGateAndEntity({ gateId: gate.id });
      const alone = await entities.getEntity({ entityRef: ENTITY });

      expect(read!.gate).toEqual(await gates.getGate({ gateId: gate.id }));
      expect(read!.entity).toEqual(alone);
      expect(assignmentsReadWith(read!.entity)).toEqual(
        assignmentsReadWith(alone),
      );
      expect(assignmentsReadWith(read!.entity)).toHaveLength(2);
      expect(windowsReadWith(read!.entity)).toEqual(windowsReadWith(alone));
      expect(windowsReadWith(read!.entity)!.map(w => w.id)).toEqual([
        'year-end',
      ]);
      // The summary as read: storing the same one writes nothing.
      const writes: string[] = [];
      const onQuery = (q: { sql: string }) => writes.push(q.sql);
      knex.on('query', onQuery);
      await entities.setGateSummary({
        entityRef: ENTITY,
        gateId: gate.id,
        gateVersion: gate.version,
        summary,
        known: read!.entity!,
      });
      knex.removeListener('query', onQuery);
      expect(writes).toEqual([]);
      // Given the row read, keeping the entity current reads nothing.
      knex.on('query', onQuery);
      const kept = await entities.upsertEntity({
        entity: info(ENTITY),
        stored: { entity: read!.entity },
      });
      knex.removeListener('query', onQuery);
      expect(writes).toEqual([]);
      expect(kept).toBe(read!.entity);

      expect(await gates.getGateAndEntity({ gateId: other.id })).toEqual({
        gate: await gates.getGate({ gateId: other.id }),
        entity: undefined,
      });
      expect(
        await gates.getGateAndEntity({
          gateId: '00000000-0000-4000-8000-000000000000',
        }),
      ).toBeUndefined();

      // The head read: the gate's id, entity, release and state, and the
      // same entity row with what is read with it; no part of the gate.
      const queries: string[] = [];
      const onHead = (q: { sql: string }) => queries.push(q.sql);
      knex.on('query', onHead);
      const head = await gates.getGateHeadAndEntity({ gateId: gate.id });
      knex.removeListener('query', onHead);
      expect(head!.gate).toEqual({
        id: gate.id,
        entityRef: ENTITY,
        release: read!.gate.release,
        state: read!.gate.state,
      });
      expect(head!.entity).toEqual(read!.entity);
      expect(assignmentsReadWith(head!.entity)).toEqual(
        assignmentsReadWith(read!.entity),
      );
      expect(windowsReadWith(head!.entity)).toEqual(
        windowsReadWith(read!.entity),
      );
      expect(queries).toHaveLength(1);
      expect(queries[0]).not.toMatch(/gate_items|votes|decisions/);
      expect(await gates.getGateHeadAndEntity({ gateId: other.id })).toEqual({
        gate: {
          id: other.id,
          entityRef: 'component:default/not-indexed',
          release: other.release,
          state: other.state,
        },
        entity: undefined,
      });
      expect(
        await gates.getGateHeadAndEntity({
          gateId: '00000000-0000-4000-8000-000000000000',
        }),
      ).toBeUndefined();
    });

    it('locks the entity row for the change (PostgreSQL; SQLite has one writer)', async () => {
      if (databaseId !== 'POSTGRES_15') return;
      const transactions = DatabaseStoreTransactions.create({ db: knex });
      let tried: unknown;
      await transactions.forEntity(ENTITY, async () => {
        tried = await knex
          .transaction(other =>
            other('entities')
              .where({ entity_ref: ENTITY })
              .forUpdate()
              .noWait(),
          )
          .catch(e => e);
      });
      expect(String(tried)).toMatch(/could not obtain lock/);
    });
  },
);
