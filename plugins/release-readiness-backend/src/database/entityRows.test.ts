/*
 * An entity read with its gate owner assignments in one statement (issue
 * 20): the assignments kept with the entity object are those stored, a
 * change that sets them inside a transaction keeps the new ones with the
 * entity that transaction read, and the transaction's read locks the row.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ENTITY, OTHER_ENTITY, PRIYA } from './__testUtils__/storeFixtures';
import { DatabaseEntityIndexStore } from './DatabaseEntityIndexStore';
import { EntityInfo } from './EntityIndexStore';
import { DatabaseWindowStore } from './DatabaseWindowStore';
import { assignmentsReadWith, windowsReadWith } from './entityRows';
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
