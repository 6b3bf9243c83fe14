/*
 * The two stores that make a notification go out once and a person's share
 * of sign-off requests hold, on both engines: claims and held requests are
 * taken by one replica each, however many race for them.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseNotificationClaimStore } from './DatabaseNotificationClaimStore';
import { DatabaseNotificationDeliveryStore } from './DatabaseNotificationDeliveryStore';
import { MIGRATIONS_DIRECTORY } from './migrations';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ANA = 'user:default/ana';
const BO = 'user:default/bo';
const TOPIC = 'Sign-off needed';
const T0 = new Date('2026-12-06T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe.each(databases.eachSupportedId())(
  'notification claims and deliveries on %s',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    });

    it('lets exactly one of many racing replicas claim a notification', async () => {
      // Two replicas, each with its own store (and, on PostgreSQL, its own connections).
      const replicas = [
        DatabaseNotificationClaimStore.create({ db: knex }),
        DatabaseNotificationClaimStore.create({ db: knex }),
      ];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          replicas[i % 2].claimNotification({ key: 'signoff:g-race:qa' }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      // A restart asks the database again: still claimed.
      expect(
        await DatabaseNotificationClaimStore.create({
          db: knex,
        }).claimNotification({ key: 'signoff:g-race:qa' }),
      ).toBe(false);
      // Another role of the same gate is its own claim.
      expect(
        await replicas[0].claimNotification({ key: 'signoff:g-race:security' }),
      ).toBe(true);
    });

    it("counts a person's notifications in the period, a digest as one", async () => {
      const store = DatabaseNotificationDeliveryStore.create({ db: knex });
      await store.recordSent({
        notificationId: 'signoff:g1:qa',
        recipients: [ANA, BO],
        topic: TOPIC,
        item: { gateId: 'g1', role: 'qa' },
        at: at(0),
      });
      await store.recordSent({
        notificationId: 'signoff:g2:qa',
        recipients: [ANA],
        topic: TOPIC,
        item: { gateId: 'g2', role: 'qa' },
        at: at(30),
      });
      for (const gateId of ['g3', 'g4']) {
        await store.hold({
          recipients: [ANA],
          topic: TOPIC,
          item: { gateId, role: 'qa' },
          at: at(40),
        });
      }
      const held = await store.listHeld({ recipient: ANA, topic: TOPIC });
      expect(held.map(h => h.gateId)).toEqual(['g3', 'g4']);
      expect(await store.heldRecipients({ topic: TOPIC })).toEqual([ANA]);
      expect(
        await store.take({
          ids: held.map(h => h.id),
          status: 'sent',
          notificationId: 'digest:d1',
          at: at(50),
        }),
      ).toEqual(held.map(h => h.id));

      const since = (minutes: number) =>
        store.countReceived({
          recipients: [ANA, BO, 'user:default/nobody'],
          topic: TOPIC,
          since: at(minutes),
        });
      expect(Object.fromEntries(await since(-1))).toEqual({
        [ANA]: 3,
        [BO]: 1,
      });
      expect(Object.fromEntries(await since(10))).toEqual({ [ANA]: 2 });
      expect(Object.fromEntries(await since(60))).toEqual({});
      expect(
        Object.fromEntries(
          await store.countReceived({
            recipients: [ANA],
            topic: 'Decisions',
            since: at(-1),
          }),
        ),
      ).toEqual({});
      expect(await store.heldRecipients({ topic: TOPIC })).toEqual([]);
    });

    it('gives each held request to one of two replicas taking them at once', async () => {
      const [one, two] = [
        DatabaseNotificationDeliveryStore.create({ db: knex }),
        DatabaseNotificationDeliveryStore.create({ db: knex }),
      ];
      for (let i = 0; i < 6; i += 1) {
        await one.hold({
          recipients: [BO],
          topic: TOPIC,
          item: { gateId: `race-${i}`, role: 'qa' },
          at: at(0),
        });
      }
      const ids = (await one.listHeld({ recipient: BO, topic: TOPIC })).map(
        h => h.id,
      );
      expect(ids).toHaveLength(6);
      const [a, b] = await Promise.all([
        one.take({
          ids,
          status: 'sent',
          notificationId: 'digest:a',
          at: at(1),
        }),
        two.take({
          ids,
          status: 'sent',
          notificationId: 'digest:b',
          at: at(1),
        }),
      ]);
      expect([...a, ...b].sort()).toEqual([...ids].sort());
      expect(a.filter(id => b.includes(id))).toEqual([]);
      expect(await one.listHeld({ recipient: BO, topic: TOPIC })).toEqual([]);
      // Dropping what was taken changes nothing.
      expect(await two.take({ ids, status: 'dropped', at: at(2) })).toEqual([]);
    });
  },
);
