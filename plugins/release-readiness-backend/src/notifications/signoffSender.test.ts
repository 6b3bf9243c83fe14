/*
 * Who hears a sign-off request and how often, on both engines: the eligible
 * members of the missing role only, once per gate and role whatever the
 * replicas do, at most N per person and period with the rest in one digest
 * of what is still due; and the exception approvers, exactly.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Gate } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import {
  DatabaseNotificationClaimStore,
  DatabaseNotificationDeliveryStore,
} from '../database';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { notifyExceptionRequested } from './exceptionRequests';
import { PeopleDirectory } from './people';
import { requestDueSignoffs } from './requestSignoffs';
import { SignoffRequest } from './signoffRequests';
import { SignoffRequestSender, StillDue } from './signoffSender';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const QA = 'group:default/qa';
const NADIA = 'user:default/nadia';
const BEN = 'user:default/ben';
const LEE = 'user:default/lee';
const MARGARET = 'user:default/margaret';
const PRIYA = 'user:default/priya';
const MEMBERS: Record<string, string[]> = {
  [QA]: [BEN, NADIA],
  'group:default/release-management': [MARGARET],
};

const people: PeopleDirectory = {
  async usersOf(refs) {
    return [
      ...new Set(
        refs.flatMap(ref => (ref.startsWith('user:') ? [ref] : MEMBERS[ref] ?? [])),
      ),
    ].sort();
  },
};

function gate(id: string): Gate {
  return {
    id,
    entityRef: `component:default/${id}`,
    release: '1.0.0',
    state: 'in-progress',
    requestedBy: PRIYA,
    votes: [],
  } as unknown as Gate;
}

const qaRequest = (exclude: string[] = []): SignoffRequest => ({
  role: 'qa',
  title: 'Quality assurance',
  recipients: [QA, LEE],
  exclude,
});

/** A notifier that records what it was asked to send. */
function recordingNotifier() {
  const singles: { gateId: string; role: string; users: string[] }[] = [];
  const digests: { user: string; gates: string[] }[] = [];
  return {
    singles,
    digests,
    async signoffNeeded(g: Gate, r: { role: string }, users: string[]) {
      singles.push({ gateId: g.id, role: r.role, users });
    },
    async signoffDigest(user: string, _id: string, entries: StillDue[]) {
      digests.push({ user, gates: entries.map(e => e.gate.id) });
    },
  };
}

describe.each(databases.eachSupportedId())(
  'sign-off requests on %s',
  databaseId => {
    let knex: Knex;
    let clock: Date;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      clock = new Date('2026-12-06T09:00:00.000Z');
    });

    function sender(
      notifier: ReturnType<typeof recordingNotifier>,
      maxPerPeriod = 3,
    ) {
      return new SignoffRequestSender({
        notifier,
        people,
        deliveries: DatabaseNotificationDeliveryStore.create({ db: knex }),
        digest: { maxPerPeriod, periodMs: 3_600_000 },
        now: () => clock,
      });
    }

    it('reaches the members of the eligible groups and the named users, less those excluded', async () => {
      const notifier = recordingNotifier();
      const result = await sender(notifier).send(
        gate('g1'),
        qaRequest([NADIA.toUpperCase()]),
      );
      expect(result).toEqual({ sent: [BEN, LEE], held: [] });
      expect(notifier.singles).toEqual([
        { gateId: 'g1', role: 'qa', users: [BEN, LEE] },
      ]);
      // Nobody left to ask: nothing is sent.
      const none = await sender(notifier).send(
        gate('g2'),
        qaRequest([BEN, NADIA, LEE]),
      );
      expect(none).toEqual({ sent: [], held: [] });
      expect(notifier.singles).toHaveLength(1);
    });

    it('sends N single requests per person and period, then one digest of what is still due', async () => {
      const notifier = recordingNotifier();
      const s = sender(notifier, 2);
      for (const id of ['g1', 'g2', 'g3', 'g4', 'g5']) {
        await s.send(gate(id), qaRequest());
        clock = new Date(clock.getTime() + 60_000);
      }
      expect(notifier.singles.map(n => n.gateId)).toEqual(['g1', 'g2']);
      // g4 got its QA sign-off meanwhile: it drops out of the digest.
      const due = async (gateId: string) =>
        gateId === 'g4' ? undefined : { gate: gate(gateId), roleTitle: 'QA' };
      // While the person's two are within the hour, the digest waits.
      clock = new Date('2026-12-06T09:30:00.000Z');
      expect(await s.flushDigests(due)).toEqual([]);
      // An hour after the first single, there is room for one digest each.
      clock = new Date('2026-12-06T10:00:30.000Z');
      expect(await s.flushDigests(due)).toEqual([
        { user: BEN, items: 2 },
        { user: LEE, items: 2 },
        { user: NADIA, items: 2 },
      ]);
      expect(notifier.digests).toEqual([
        { user: BEN, gates: ['g3', 'g5'] },
        { user: LEE, gates: ['g3', 'g5'] },
        { user: NADIA, gates: ['g3', 'g5'] },
      ]);
      // Sent once: a later pass finds nothing held.
      clock = new Date('2026-12-06T12:00:00.000Z');
      expect(await s.flushDigests(due)).toEqual([]);
      // The digest counts as one of the person's notifications in its period.
      clock = new Date('2026-12-06T10:10:00.000Z');
      await s.send(gate('g6'), qaRequest());
      expect(notifier.singles.map(n => n.gateId)).toEqual(['g1', 'g2', 'g6']);
      await s.send(gate('g7'), qaRequest());
      expect(notifier.singles.map(n => n.gateId)).toEqual(['g1', 'g2', 'g6']);
    });

    it('sends a digest once when two replicas flush at the same time', async () => {
      const notifier = recordingNotifier();
      const s = sender(notifier, 1);
      await s.send(gate('g1'), qaRequest());
      await s.send(gate('g2'), qaRequest());
      await s.send(gate('g3'), qaRequest());
      clock = new Date('2026-12-06T10:30:00.000Z');
      const due = async (gateId: string) => ({
        gate: gate(gateId),
        roleTitle: 'QA',
      });
      const other = recordingNotifier();
      await Promise.all([
        s.flushDigests(due),
        sender(other, 1).flushDigests(due),
      ]);
      const all = [...notifier.digests, ...other.digests];
      for (const user of [BEN, LEE, NADIA]) {
        expect(
          all.filter(d => d.user === user).flatMap(d => d.gates).sort(),
        ).toEqual(['g2', 'g3']);
      }
    });

    it('asks a role once per gate when two replicas handle the same change at once, and again never', async () => {
      const notifiers = [recordingNotifier(), recordingNotifier()];
      const current = {
        gate: gate('g-race'),
        template: {
          signoffs: {
            selfApproval: false,
            roles: [
              {
                id: 'qa',
                title: 'Quality assurance',
                eligible: { groups: [QA] },
                min: 1,
              },
              {
                id: 'release-management',
                title: 'Release management',
                eligible: { groups: ['group:default/release-management'] },
                min: 1,
              },
            ],
          },
        },
        evaluation: {
          conditions: [{ id: 'signoffs', met: false }],
          roles: [
            { role: 'qa', met: false, readyVoters: [] },
            { role: 'release-management', met: false, readyVoters: [] },
          ],
        },
      } as any;
      const replica = (i: number) =>
        requestDueSignoffs({
          current,
          access: { gateResource: async () => ({ ownerRefs: [] }) as any },
          claims: DatabaseNotificationClaimStore.create({ db: knex }),
          sender: sender(notifiers[i]),
        });
      await Promise.all([replica(0), replica(1), replica(0), replica(1)]);
      const singles = notifiers.flatMap(n => n.singles);
      expect(singles.map(n => `${n.role}:${n.users.join(',')}`).sort()).toEqual(
        [`qa:${BEN},${NADIA}`, `release-management:${MARGARET}`],
      );
      // A later change, or a restart: the claims are in the database.
      await replica(0);
      expect(notifiers.flatMap(n => n.singles)).toHaveLength(2);
    });

    it('tells exactly the approvers of a window of an exception request, once, never the requester', async () => {
      const told: { users: string[]; reason: string }[] = [];
      const notifier = {
        async exceptionRequested(
          _w: unknown,
          _g: Gate,
          request: { reason: string },
          users: string[],
        ) {
          told.push({ users, reason: request.reason });
        },
      };
      const window = {
        id: 'year-end',
        name: 'Year-end freeze',
        approvers: ['group:default/release-management', QA],
      };
      const request = {
        id: 'exc-1',
        requestedBy: NADIA,
        reason: 'Fixes a payment outage',
      };
      const claims = DatabaseNotificationClaimStore.create({ db: knex });
      const [first, second] = await Promise.all([
        notifyExceptionRequested({
          window,
          gate: gate('g1'),
          request,
          claims,
          people,
          notifier,
        }),
        notifyExceptionRequested({
          window,
          gate: gate('g1'),
          request,
          claims: DatabaseNotificationClaimStore.create({ db: knex }),
          people,
          notifier,
        }),
      ]);
      expect(told).toEqual([
        { users: [BEN, MARGARET], reason: 'Fixes a payment outage' },
      ]);
      expect([first, second].filter(r => r.length)).toHaveLength(1);
    });
  },
);
