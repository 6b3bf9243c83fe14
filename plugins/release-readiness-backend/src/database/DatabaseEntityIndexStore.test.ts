import { TestDatabases } from '@backstage/backend-test-utils';
import { Gate } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import {
  ENTITY,
  expectConflict,
  openTestGate,
  OTHER_ENTITY,
  PRIYA,
  SAM,
  SERVICE_ITEM,
  tick,
} from './__testUtils__/storeFixtures';
import { DatabaseEntityIndexStore } from './DatabaseEntityIndexStore';
import { DatabaseGateStore } from './DatabaseGateStore';
import { MIGRATIONS_DIRECTORY } from './migrations';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'DatabaseEntityIndexStore on %s',
  databaseId => {
    let knex: Knex;
    let entities: DatabaseEntityIndexStore;
    let gates: DatabaseGateStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      entities = DatabaseEntityIndexStore.create({ db: knex });
      gates = DatabaseGateStore.create({ db: knex });
    });

    // Each test has its own database; free its connections right away.
    afterEach(() => knex.destroy());

    const openGate = (options?: { release?: string }) =>
      openTestGate(gates, options);

    describe('gate owners', () => {
      it('replaces the assignments and returns the previous ones', async () => {
        const first = await entities.setAssignments({
          entityRef: ENTITY,
          ownerRefs: [
            'user:default/sam',
            'group:default/sre',
            'user:default/sam',
          ],
          actor: PRIYA,
        });
        expect(first).toEqual([]);
        const assigned = await entities.listAssignments({ entityRef: ENTITY });
        expect(assigned.map(a => [a.ownerRef, a.assignedBy])).toEqual([
          ['group:default/sre', PRIYA],
          ['user:default/sam', PRIYA],
        ]);
        expect(Date.parse(assigned[0].assignedAt)).not.toBeNaN();

        const previous = await entities.setAssignments({
          entityRef: ENTITY,
          ownerRefs: ['user:default/quinn'],
          actor: SAM,
        });

        expect(previous).toEqual(assigned);
        expect(
          (await entities.listAssignments({ entityRef: ENTITY })).map(a => [
            a.ownerRef,
            a.assignedBy,
          ]),
        ).toEqual([['user:default/quinn', SAM]]);
        expect(
          await entities.listAssignments({ entityRef: OTHER_ENTITY }),
        ).toEqual([]);

        const events = await knex('audit_events')
          .where({ entity_ref: ENTITY, action: 'owners.set' })
          .orderBy('id');
        expect(
          events.map(e => [
            e.actor,
            e.gate_id,
            JSON.parse(e.before),
            JSON.parse(e.after),
          ]),
        ).toEqual([
          [PRIYA, null, [], ['group:default/sre', 'user:default/sam']],
          [
            SAM,
            null,
            ['group:default/sre', 'user:default/sam'],
            ['user:default/quinn'],
          ],
        ]);
      });

      it('clears the assignments with an empty list', async () => {
        await entities.setAssignments({
          entityRef: ENTITY,
          ownerRefs: ['user:default/sam'],
          actor: PRIYA,
        });
        const previous = await entities.setAssignments({
          entityRef: ENTITY,
          ownerRefs: [],
          actor: PRIYA,
        });
        expect(previous.map(a => a.ownerRef)).toEqual(['user:default/sam']);
        expect(await entities.listAssignments({ entityRef: ENTITY })).toEqual(
          [],
        );
      });
    });

    describe('service items', () => {
      it('adds a service item once', async () => {
        const added = await entities.addServiceItem({
          entityRef: ENTITY,
          item: SERVICE_ITEM,
          actor: PRIYA,
        });
        expect(added).toMatchObject({ ...SERVICE_ITEM, createdBy: PRIYA });

        const error = await expectConflict(
          entities.addServiceItem({
            entityRef: ENTITY,
            item: { ...SERVICE_ITEM, title: 'Something else', required: true },
            actor: SAM,
          }),
        );

        expect(error.message).toContain('smoke-test');
        expect(await entities.listServiceItems({ entityRef: ENTITY })).toEqual([
          added,
        ]);
        const events = await knex('audit_events').where({
          action: 'service-item.add',
        });
        expect(events.map(e => e.actor)).toEqual([PRIYA]);
        // The same id is fine on another entity.
        await entities.addServiceItem({
          entityRef: OTHER_ENTITY,
          item: SERVICE_ITEM,
          actor: SAM,
        });
      });
    });

    describe('entities', () => {
      it('round-trips an entity and updates it on a second upsert', async () => {
        await entities.upsertEntity({
          entity: {
            entityRef: ENTITY,
            kind: 'component',
            title: 'Payment Gateway',
            type: 'service',
            lifecycle: 'production',
            ownerRef: 'group:default/payments',
            systemRef: 'system:default/payments',
            tags: ['java', 'pci'],
            templateName: 'component-gate',
            tier: 1,
          },
        });
        expect(await entities.getEntity({ entityRef: ENTITY })).toEqual({
          entityRef: ENTITY,
          kind: 'component',
          title: 'Payment Gateway',
          type: 'service',
          lifecycle: 'production',
          ownerRef: 'group:default/payments',
          systemRef: 'system:default/payments',
          tags: ['java', 'pci'],
          templateName: 'component-gate',
          tier: 1,
        });

        await entities.upsertEntity({
          entity: {
            entityRef: ENTITY,
            kind: 'component',
            title: 'Payments',
            tags: [],
            templateName: 'system-gate',
            tier: 2,
          },
        });

        expect(await entities.getEntity({ entityRef: ENTITY })).toEqual({
          entityRef: ENTITY,
          kind: 'component',
          title: 'Payments',
          tags: [],
          templateName: 'system-gate',
          tier: 2,
        });
        expect(await knex('entities').pluck('entity_ref')).toEqual([ENTITY]);
        expect(
          await entities.getEntity({ entityRef: OTHER_ENTITY }),
        ).toBeUndefined();
      });

      it('writes nothing when the row read in the request already holds the summary', async () => {
        await entities.upsertEntity({
          entity: {
            entityRef: ENTITY,
            kind: 'component',
            title: 'Payments',
            tags: [],
          },
        });
        const gate = await openGate({ release: '1.0.0' });
        const summary = {
          gateId: gate.id,
          release: gate.release,
          state: gate.state,
          verdict: 'NO-GO',
          score: 72,
          blockers: 3,
          plannedAt: '2026-12-24T09:00:00.000Z',
          lastDecision: {
            verdict: 'no-go' as const,
            at: '2026-12-02T10:00:00.000Z',
          },
        };
        await entities.setGateSummary({
          entityRef: ENTITY,
          gateId: gate.id,
          gateVersion: gate.version,
          summary,
        });
        const statements: string[] = [];
        const count = (q: { sql: string }) => statements.push(q.sql);
        knex.on('query', count);
        try {
          // As the request read it: the same summary is not written again.
          const known = await entities.getEntity({ entityRef: ENTITY });
          expect(statements).toHaveLength(1);
          await entities.setGateSummary({
            entityRef: ENTITY,
            gateId: gate.id,
            gateVersion: gate.version,
            summary,
            known,
          });
          expect(statements).toHaveLength(1);
          // The upsert returns the row as read when the catalog said
          // nothing new, with the same effect.
          const synced = await entities.upsertEntity({
            entity: {
              entityRef: ENTITY,
              kind: 'component',
              title: 'Payments',
              tags: [],
            },
          });
          expect(statements).toHaveLength(2);
          await entities.setGateSummary({
            entityRef: ENTITY,
            gateId: gate.id,
            gateVersion: gate.version,
            summary,
            known: synced,
          });
          expect(statements).toHaveLength(2);
          // Any other value is written: the score, the planned time, the
          // gate's version.
          for (const changed of [
            { summary: { ...summary, score: 73 }, version: gate.version },
            {
              summary: { ...summary, plannedAt: '2026-12-24T09:00:01.000Z' },
              version: gate.version,
            },
            { summary, version: gate.version + 1 },
          ]) {
            const before = statements.length;
            await entities.setGateSummary({
              entityRef: ENTITY,
              gateId: gate.id,
              gateVersion: changed.version,
              summary: changed.summary,
              known: synced,
            });
            expect(statements.length).toBe(before + 1);
          }
        } finally {
          knex.removeListener('query', count);
        }
        expect(
          await knex('entities')
            .where({ entity_ref: ENTITY })
            .first('current_score', 'current_gate_version'),
        ).toEqual({
          current_score: 72,
          current_gate_version: gate.version + 1,
        });
      });

      it('writes the summary of the current gate only, never an older one', async () => {
        await entities.upsertEntity({
          entity: {
            entityRef: ENTITY,
            kind: 'component',
            title: 'Payments',
            tags: [],
          },
        });
        const summaryColumns = async () =>
          knex('entities')
            .where({ entity_ref: ENTITY })
            .first(
              'current_gate_id',
              'current_release',
              'current_state',
              'current_verdict',
              'current_score',
              'current_blockers',
              'current_gate_version',
            );
        const summarise = (
          gate: Gate,
          score: number,
          options: { version?: number; cancelled?: boolean } = {},
        ) =>
          entities.setGateSummary({
            entityRef: ENTITY,
            gateId: gate.id,
            gateVersion: options.version ?? gate.version,
            summary: options.cancelled
              ? undefined
              : {
                  gateId: gate.id,
                  release: gate.release,
                  state: gate.state,
                  verdict: 'NO-GO',
                  score,
                  blockers: 3,
                },
          });

        const first = await openGate({ release: '1.0.0' });
        await summarise(first, 72, { version: 2 });
        expect(await summaryColumns()).toEqual({
          current_gate_id: first.id,
          current_release: '1.0.0',
          current_state: 'in-progress',
          current_verdict: 'NO-GO',
          current_score: 72,
          current_blockers: 3,
          current_gate_version: 2,
        });

        // Computed from an older version, finishing late: ignored.
        await summarise(first, 10, { version: 1 });
        expect((await summaryColumns()).current_score).toBe(72);
        // The same version later (evidence came in, time passed): taken.
        await summarise(first, 80, { version: 2 });
        expect((await summaryColumns()).current_score).toBe(80);

        // A refresh from the catalog keeps the summary.
        await entities.upsertEntity({
          entity: {
            entityRef: ENTITY,
            kind: 'component',
            title: 'Payments 2',
            tags: [],
          },
        });
        expect((await summaryColumns()).current_gate_id).toBe(first.id);

        // A newer gate is the current one; reading the earlier gate again
        // does not bring its summary back.
        await tick();
        const second = await openGate({ release: '2.0.0' });
        await summarise(second, 50);
        await summarise(first, 99, { version: 9 });
        expect(await summaryColumns()).toMatchObject({
          current_gate_id: second.id,
          current_release: '2.0.0',
          current_score: 50,
          current_gate_version: 1,
        });

        // Cancelling the earlier gate leaves the summary; cancelling the
        // current one clears it.
        await summarise(first, 0, { cancelled: true });
        expect((await summaryColumns()).current_gate_id).toBe(second.id);
        await summarise(second, 0, { cancelled: true });
        expect(await summaryColumns()).toEqual({
          current_gate_id: null,
          current_release: null,
          current_state: null,
          current_verdict: null,
          current_score: null,
          current_blockers: null,
          current_gate_version: null,
        });
      });
    });
  },
);
