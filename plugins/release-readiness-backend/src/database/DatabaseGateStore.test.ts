import { TestDatabases } from '@backstage/backend-test-utils';
import { Gate, GateItem } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import {
  ENTITY,
  expectConflict,
  ITEMS,
  openTestGate,
  OTHER_ENTITY,
  PRIYA,
  QUINN,
  RISK,
  SAM,
  SERVICE_ITEM,
  TEMPLATE,
  tick,
  WAIVER,
} from './__testUtils__/storeFixtures';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { DatabaseEntityIndexStore } from './DatabaseEntityIndexStore';
import { DatabaseGateStore } from './DatabaseGateStore';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { MIGRATIONS_DIRECTORY } from './migrations';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'DatabaseGateStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseGateStore;
    let entities: DatabaseEntityIndexStore;
    let log: DatabaseAuditLog;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      store = DatabaseGateStore.create({ db: knex });
      entities = DatabaseEntityIndexStore.create({ db: knex });
      log = DatabaseAuditLog.create({ db: knex });
    });

    // Each test has its own database; free its connections right away.
    afterEach(() => knex.destroy());

    const openGate = (options?: { release?: string; entityRef?: string }) =>
      openTestGate(store, options);

    /**
     * Starts the calls together while the test holds the gate's row, and lets
     * go only once every call waits for a lock. On PostgreSQL every call has
     * then read the gate before any could write it: the race is real, not left
     * to timing. SQLite has one connection, so there the calls queue behind the
     * test's transaction and run one after the other.
     */
    async function race<T>(
      gateId: string,
      calls: (() => Promise<T>)[],
    ): Promise<PromiseSettledResult<T>[]> {
      const postgres = databaseId === 'POSTGRES_15';
      const trx = await knex.transaction();
      const lock = trx('gates').where({ id: gateId });
      await (postgres ? lock.forUpdate() : lock).first();
      const results = Promise.allSettled(calls.map(call => call()));
      if (postgres) {
        await waitForLockWaiters(calls.length);
      } else {
        await tick();
      }
      await trx.commit();
      return results;
    }

    /** Waits (at most two seconds) until `count` sessions wait for a lock. */
    async function waitForLockWaiters(count: number) {
      for (let i = 0; i < 200; i++) {
        const { rows } = await knex.raw(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (rows[0].n >= count) return;
        await tick();
      }
    }

    function item(gate: Gate, id: string): GateItem {
      const found = gate.items.find(i => i.id === id);
      expect(found).toBeDefined();
      return found!;
    }

    describe('opening gates', () => {
      it('opens a gate with its items in order', async () => {
        const gate = await store.openGate({
          entityRef: ENTITY,
          release: '1.0.0',
          template: TEMPLATE,
          items: ITEMS,
          requestedBy: PRIYA,
          plannedAt: '2026-12-01T09:00:00.000Z',
        });

        expect(gate).toMatchObject({
          entityRef: ENTITY,
          release: '1.0.0',
          templateName: 'component-gate',
          templateVersion: '3',
          templateHash: 'a'.repeat(64),
          tier: 1,
          state: 'in-progress',
          plannedAt: '2026-12-01T09:00:00.000Z',
          requestedBy: PRIYA,
          version: 1,
          checklistRevision: 1,
          votes: [],
          decisions: [],
        });
        expect(gate.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(gate.risk).toBeUndefined();
        expect(gate.rapidReason).toBeUndefined();
        expect(gate.items).toEqual([
          {
            ...TEMPLATE.checklist[0],
            source: 'template',
            status: 'pending',
            version: 1,
          },
          {
            ...TEMPLATE.checklist[1],
            source: 'template',
            status: 'pending',
            version: 1,
          },
          {
            ...TEMPLATE.checklist[2],
            source: 'template',
            status: 'pending',
            version: 1,
          },
          { ...SERVICE_ITEM, source: 'service', status: 'pending', version: 1 },
        ]);
        expect(await store.getGate({ gateId: gate.id })).toEqual(gate);
      });

      it('keeps the template spec the gate opened with', async () => {
        const gate = await openGate();
        const { hash: _hash, source: _source, ...spec } = TEMPLATE;

        const stored = await store.getGateTemplate({ gateId: gate.id });

        expect(stored).toEqual(spec);
        expect(stored).not.toHaveProperty('hash');
        expect(stored).not.toHaveProperty('source');
      });

      it('returns nothing for an unknown gate', async () => {
        const gateId = '00000000-0000-4000-8000-000000000000';
        expect(await store.getGate({ gateId })).toBeUndefined();
        expect(await store.getGateTemplate({ gateId })).toBeUndefined();
      });

      it('records the reason of a rapid gate', async () => {
        const gate = await store.openGate({
          entityRef: ENTITY,
          release: '1.0.1',
          template: { ...TEMPLATE, name: 'hotfix', rapid: true },
          items: ITEMS,
          requestedBy: PRIYA,
          rapidReason: 'Card payments are failing',
        });

        expect(gate.rapidReason).toBe('Card payments are failing');
        const [event] = await log.listAudit({ gateId: gate.id });
        expect(event.action).toBe('gate.open-rapid');
        expect(event.after).toMatchObject({
          template: 'hotfix',
          rapidReason: 'Card payments are failing',
        });
      });

      it('refuses a second gate for the same entity and release', async () => {
        const first = await openGate();

        const error = await expectConflict(openGate());

        expect(error.message).toContain(ENTITY);
        expect(error.message).toContain('1.0.0');
        expect(await knex('gates').pluck('id')).toEqual([first.id]);
        expect(await knex('audit_events').pluck('action')).toEqual([
          'gate.open',
        ]);
        // Other releases and other entities are not affected.
        await openGate({ release: '1.1.0' });
        await openGate({ entityRef: OTHER_ENTITY });
      });

      it('does not blame an existing gate when two items share an id', async () => {
        const clash = { ...TEMPLATE.checklist[0], source: 'service' as const };

        const error = await store
          .openGate({
            entityRef: ENTITY,
            release: '1.0.0',
            template: TEMPLATE,
            items: [...ITEMS, clash],
            requestedBy: PRIYA,
          })
          .then(
            () => undefined,
            (e: Error) => e,
          );

        expect(error).toBeDefined();
        expect(error!.message).toContain('manual-qa');
        expect(error!.message).not.toContain('already has a gate');
        expect(await knex('gates').pluck('id')).toEqual([]);
      });

      it('lets only one of two simultaneous opens win', async () => {
        const results = await Promise.allSettled([openGate(), openGate()]);

        const fulfilled = results.filter(r => r.status === 'fulfilled');
        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason.name).toBe('ConflictError');
        expect(await knex('gates').pluck('id')).toEqual([
          (fulfilled[0] as PromiseFulfilledResult<{ id: string }>).value.id,
        ]);
      });

      it('opens a new gate for the release once the old one is cancelled', async () => {
        const first = await openGate();
        const cancelled = await store.transition({
          gateId: first.id,
          from: ['in-progress', 'go', 'no-go'],
          to: 'cancelled',
          actor: PRIYA,
          reason: 'Wrong template',
        });
        expect(cancelled.state).toBe('cancelled');

        await tick();
        const second = await openGate();

        expect(second.id).not.toBe(first.id);
        expect(second.state).toBe('in-progress');
        const gates = await store.listGates({ entityRef: ENTITY });
        expect(gates.map(g => [g.id, g.state])).toEqual([
          [second.id, 'in-progress'],
          [first.id, 'cancelled'],
        ]);
      });

      it('lists the gates of an entity newest first', async () => {
        const a = await openGate({ release: '1.0.0' });
        await tick();
        await openGate({ entityRef: OTHER_ENTITY, release: '9.0.0' });
        await tick();
        const b = await openGate({ release: '1.1.0' });
        await tick();
        const c = await openGate({ release: '1.2.0' });

        const gates = await store.listGates({ entityRef: ENTITY });

        expect(gates.map(g => g.release)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
        expect(gates.map(g => g.id)).toEqual([c.id, b.id, a.id]);
        expect(gates[0].items.map(i => i.id)).toEqual(ITEMS.map(i => i.id));
        expect(
          await store.listGates({ entityRef: 'component:default/none' }),
        ).toEqual([]);
      });
    });

    describe('checklist items', () => {
      it('updates an item and bumps the checklist revision for a required item', async () => {
        const gate = await openGate();

        const updated = await store.updateItem({
          gateId: gate.id,
          itemId: 'manual-qa',
          version: 1,
          patch: { status: 'passed', note: 'Checked on staging' },
          actor: QUINN,
        });

        expect(item(updated, 'manual-qa')).toMatchObject({
          status: 'passed',
          note: 'Checked on staging',
          updatedBy: QUINN,
          version: 2,
        });
        expect(Date.parse(item(updated, 'manual-qa').updatedAt!)).not.toBeNaN();
        expect(updated.version).toBe(2);
        expect(updated.checklistRevision).toBe(2);
        // The other items are untouched.
        for (const id of ['release-notes', 'unit-tests', 'smoke-test']) {
          expect(item(updated, id)).toMatchObject({
            status: 'pending',
            version: 1,
          });
          expect(item(updated, id).updatedBy).toBeUndefined();
        }
        expect(await store.getGate({ gateId: gate.id })).toEqual(updated);
      });

      it('does not bump the checklist revision for an optional item', async () => {
        const gate = await openGate();

        const updated = await store.updateItem({
          gateId: gate.id,
          itemId: 'release-notes',
          version: 1,
          patch: { status: 'passed' },
          actor: QUINN,
        });

        expect(item(updated, 'release-notes')).toMatchObject({
          status: 'passed',
          version: 2,
        });
        expect(updated.version).toBe(2);
        expect(updated.checklistRevision).toBe(1);
      });

      it('does not bump the checklist revision for a note-only change', async () => {
        const gate = await openGate();
        await store.updateItem({
          gateId: gate.id,
          itemId: 'manual-qa',
          version: 1,
          patch: { status: 'passed' },
          actor: QUINN,
        });

        const updated = await store.updateItem({
          gateId: gate.id,
          itemId: 'manual-qa',
          version: 2,
          patch: { status: 'passed', note: 'Also checked on mobile' },
          actor: QUINN,
        });

        expect(item(updated, 'manual-qa')).toMatchObject({
          status: 'passed',
          note: 'Also checked on mobile',
          version: 3,
        });
        expect(updated.version).toBe(3);
        expect(updated.checklistRevision).toBe(2);
      });

      it('bumps the checklist revision when the waiver of a required item changes', async () => {
        const gate = await openGate();
        const waived = await store.updateItem({
          gateId: gate.id,
          itemId: 'unit-tests',
          version: 1,
          patch: { status: 'waived', waiver: WAIVER },
          actor: PRIYA,
        });
        expect(item(waived, 'unit-tests').waiver).toEqual(WAIVER);
        expect(waived.checklistRevision).toBe(2);

        const extended = await store.updateItem({
          gateId: gate.id,
          itemId: 'unit-tests',
          version: 2,
          patch: {
            status: 'waived',
            waiver: { ...WAIVER, expiresAt: '2027-06-01T00:00:00.000Z' },
          },
          actor: PRIYA,
        });
        expect(item(extended, 'unit-tests').waiver?.expiresAt).toBe(
          '2027-06-01T00:00:00.000Z',
        );
        expect(extended.checklistRevision).toBe(3);

        const sameWaiver = await store.updateItem({
          gateId: gate.id,
          itemId: 'unit-tests',
          version: 3,
          patch: {
            status: 'waived',
            waiver: { ...WAIVER, expiresAt: '2027-06-01T00:00:00.000Z' },
            note: 'See ticket PAY-12',
          },
          actor: PRIYA,
        });
        expect(sameWaiver.checklistRevision).toBe(3);
        expect(sameWaiver.version).toBe(4);
      });

      it('refuses an edit made on a stale version and changes nothing', async () => {
        const gate = await openGate();
        const current = await store.updateItem({
          gateId: gate.id,
          itemId: 'manual-qa',
          version: 1,
          patch: { status: 'passed' },
          actor: QUINN,
        });
        const auditBefore = await log.listAudit({ gateId: gate.id });

        const error = await expectConflict(
          store.updateItem({
            gateId: gate.id,
            itemId: 'manual-qa',
            version: 1,
            patch: { status: 'failed', note: 'Broken on Safari' },
            actor: SAM,
          }),
        );

        expect(error.message).toContain('manual-qa');
        expect(await store.getGate({ gateId: gate.id })).toEqual(current);
        expect(await log.listAudit({ gateId: gate.id })).toEqual(auditBefore);
      });

      it('lets exactly one of two simultaneous edits of the same version win', async () => {
        const gate = await openGate();
        const edit = (status: 'passed' | 'failed', actor: string) =>
          store.updateItem({
            gateId: gate.id,
            itemId: 'manual-qa',
            version: 1,
            patch: { status, note: `${status} by ${actor}` },
            actor,
          });

        const results = await race(gate.id, [
          () => edit('passed', QUINN),
          () => edit('failed', SAM),
        ]);

        const fulfilled = results.filter(
          (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof edit>>> =>
            r.status === 'fulfilled',
        );
        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason.name).toBe('ConflictError');

        const winner = item(fulfilled[0].value, 'manual-qa');
        const stored = await store.getGate({ gateId: gate.id });
        expect(item(stored!, 'manual-qa')).toEqual(winner);
        expect(winner.version).toBe(2);
        expect(winner.note).toBe(`${winner.status} by ${winner.updatedBy}`);
        expect(stored!.version).toBe(2);
        expect(stored!.checklistRevision).toBe(2);
        const updates = (await log.listAudit({ gateId: gate.id })).filter(
          e => e.action === 'item.update',
        );
        expect(updates).toHaveLength(1);
        expect(updates[0].actor).toBe(winner.updatedBy);
      });

      it('tells the loser of a race which version the item is at now', async () => {
        const gate = await openGate();
        const edit = (actor: string) =>
          store.updateItem({
            gateId: gate.id,
            itemId: 'manual-qa',
            version: 1,
            patch: { status: 'passed' },
            actor,
          });

        const results = await race(gate.id, [
          () => edit(QUINN),
          () => edit(SAM),
        ]);

        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason.message).toContain('is at version 2, not 1');
      });

      it('lets two people edit different items at the same moment', async () => {
        const gate = await openGate();

        const results = await race(gate.id, [
          () =>
            store.updateItem({
              gateId: gate.id,
              itemId: 'manual-qa',
              version: 1,
              patch: { status: 'passed' },
              actor: QUINN,
            }),
          () =>
            store.updateItem({
              gateId: gate.id,
              itemId: 'release-notes',
              version: 1,
              patch: { status: 'passed' },
              actor: SAM,
            }),
        ]);

        expect(results.map(r => r.status)).toEqual(['fulfilled', 'fulfilled']);
        const stored = await store.getGate({ gateId: gate.id });
        expect(item(stored!, 'manual-qa').status).toBe('passed');
        expect(item(stored!, 'release-notes').status).toBe('passed');
        expect(stored!.version).toBe(3);
      });

      it('reports unknown gates and items as not found', async () => {
        const gate = await openGate();
        const update = (gateId: string, itemId: string) =>
          store.updateItem({
            gateId,
            itemId,
            version: 1,
            patch: { status: 'passed' },
            actor: QUINN,
          });

        await expect(update(gate.id, 'no-such-item')).rejects.toMatchObject({
          name: 'NotFoundError',
        });
        await expect(
          update('00000000-0000-4000-8000-000000000000', 'manual-qa'),
        ).rejects.toMatchObject({ name: 'NotFoundError' });
      });
    });

    describe('sign-off votes', () => {
      it('supersedes the previous vote of the same voter for the same role', async () => {
        const gate = await openGate();
        await store.addVote({
          gateId: gate.id,
          role: 'qa',
          voter: QUINN,
          voterClaims: [QUINN, 'group:default/qa'],
          verdict: 'not-ready',
          comment: 'Checkout is broken',
        });
        await tick();

        const updated = await store.addVote({
          gateId: gate.id,
          role: 'qa',
          voter: QUINN,
          voterClaims: [QUINN, 'group:default/qa'],
          verdict: 'ready',
        });

        expect(updated.votes).toHaveLength(2);
        const live = updated.votes.filter(v => !v.supersededAt);
        const superseded = updated.votes.filter(v => v.supersededAt);
        expect(live).toEqual([
          expect.objectContaining({
            role: 'qa',
            voter: QUINN,
            verdict: 'ready',
          }),
        ]);
        expect(superseded).toEqual([
          expect.objectContaining({
            role: 'qa',
            voter: QUINN,
            verdict: 'not-ready',
            comment: 'Checkout is broken',
          }),
        ]);
        expect(superseded[0].supersededAt).toBe(live[0].at);
        expect(updated.version).toBe(3);
      });

      it('keeps votes of other roles and other voters live', async () => {
        const gate = await openGate();
        const vote = (role: string, voter: string) =>
          store.addVote({
            gateId: gate.id,
            role,
            voter,
            voterClaims: [voter],
            verdict: 'ready',
          });
        await vote('qa', QUINN);
        await vote('engineering', QUINN);
        await vote('qa', SAM);

        const updated = await vote('qa', QUINN);

        const live = updated.votes.filter(v => !v.supersededAt);
        expect(live.map(v => `${v.role}/${v.voter}`).sort()).toEqual([
          `engineering/${QUINN}`,
          `qa/${QUINN}`,
          `qa/${SAM}`,
        ]);
        expect(updated.votes.filter(v => v.supersededAt)).toHaveLength(1);
      });

      it('keeps one live vote when the same person votes twice at once', async () => {
        const gate = await openGate();
        const vote = (verdict: 'ready' | 'not-ready') =>
          store.addVote({
            gateId: gate.id,
            role: 'qa',
            voter: QUINN,
            voterClaims: [QUINN],
            verdict,
          });

        const results = await race(gate.id, [
          () => vote('ready'),
          () => vote('not-ready'),
        ]);

        // Either both count (one after the other) or the loser is told so.
        expect(results.some(r => r.status === 'fulfilled')).toBe(true);
        const errors = results.flatMap(r =>
          r.status === 'rejected' ? [r.reason.name] : [],
        );
        expect(errors.filter(name => name !== 'ConflictError')).toEqual([]);
        const live = await knex('votes')
          .where({ gate_id: gate.id, role: 'qa', voter: QUINN })
          .whereNull('superseded_at');
        expect(live).toHaveLength(1);
      });

      it('takes the votes of two people voting at the same moment', async () => {
        const gate = await openGate();
        const vote = (voter: string) =>
          store.addVote({
            gateId: gate.id,
            role: 'qa',
            voter,
            voterClaims: [voter],
            verdict: 'ready',
          });

        const results = await race(gate.id, [
          () => vote(QUINN),
          () => vote(SAM),
        ]);

        expect(results.map(r => r.status)).toEqual(['fulfilled', 'fulfilled']);
        const stored = await store.getGate({ gateId: gate.id });
        expect(stored!.votes.map(v => v.voter).sort()).toEqual([QUINN, SAM]);
        expect(stored!.version).toBe(3);
      });

      it('returns the claims of live votes only', async () => {
        const gate = await openGate();
        await store.addVote({
          gateId: gate.id,
          role: 'qa',
          voter: QUINN,
          voterClaims: [QUINN, 'group:default/old-team'],
          verdict: 'ready',
        });
        await store.addVote({
          gateId: gate.id,
          role: 'qa',
          voter: QUINN,
          voterClaims: [QUINN, 'group:default/qa'],
          verdict: 'ready',
        });
        await store.addVote({
          gateId: gate.id,
          role: 'engineering',
          voter: SAM,
          voterClaims: [SAM, 'group:default/payments'],
          verdict: 'ready',
        });

        const claims = await store.getVoterClaims({ gateId: gate.id });

        expect(Object.fromEntries(claims)).toEqual({
          [QUINN]: [QUINN, 'group:default/qa'],
          [SAM]: [SAM, 'group:default/payments'],
        });
        const other = await openGate({ release: '2.0.0' });
        expect((await store.getVoterClaims({ gateId: other.id })).size).toBe(0);
      });

      it('records the checklist revision a vote was cast on', async () => {
        const gate = await openGate();
        await store.addVote({
          gateId: gate.id,
          role: 'qa',
          voter: QUINN,
          voterClaims: [QUINN],
          verdict: 'ready',
        });
        await store.updateItem({
          gateId: gate.id,
          itemId: 'manual-qa',
          version: 1,
          patch: { status: 'failed' },
          actor: SAM,
        });

        const updated = await store.addVote({
          gateId: gate.id,
          role: 'engineering',
          voter: SAM,
          voterClaims: [SAM],
          verdict: 'not-ready',
        });

        expect(updated.checklistRevision).toBe(2);
        const revisionOf = (voter: string) =>
          updated.votes.find(v => v.voter === voter)!.checklistRevision;
        expect(revisionOf(QUINN)).toBe(1);
        expect(revisionOf(SAM)).toBe(2);
      });
    });

    describe('risk assessment', () => {
      it('stores the risk assessment guarded by its version', async () => {
        const gate = await openGate();

        const first = await store.putRisk({
          gateId: gate.id,
          version: 0,
          risk: RISK,
          actor: PRIYA,
        });
        expect(first.risk).toMatchObject({
          ...RISK,
          updatedBy: PRIYA,
          version: 1,
        });
        expect(first.version).toBe(2);

        const second = await store.putRisk({
          gateId: gate.id,
          version: 1,
          risk: { ...RISK, rollbackPlan: 'Roll back the database too' },
          actor: SAM,
        });
        expect(second.risk).toMatchObject({
          rollbackPlan: 'Roll back the database too',
          updatedBy: SAM,
          version: 2,
        });
        expect(second.version).toBe(3);

        const error = await expectConflict(
          store.putRisk({
            gateId: gate.id,
            version: 1,
            risk: { ...RISK, rollbackPlan: 'Lost update' },
            actor: QUINN,
          }),
        );
        expect(error.message).toContain('version 2, not 1');
        expect(await store.getGate({ gateId: gate.id })).toEqual(second);
      });

      it('refuses version 1 when there is no assessment yet', async () => {
        const gate = await openGate();
        await expectConflict(
          store.putRisk({
            gateId: gate.id,
            version: 1,
            risk: RISK,
            actor: PRIYA,
          }),
        );
        expect(
          (await store.getGate({ gateId: gate.id }))!.risk,
        ).toBeUndefined();
      });
    });

    describe('transitions and decisions', () => {
      it('refuses a transition from the wrong state and names the states', async () => {
        const gate = await openGate();

        const error = await expectConflict(
          store.transition({
            gateId: gate.id,
            from: ['go'],
            to: 'released',
            actor: PRIYA,
          }),
        );

        expect(error.message).toContain('in-progress');
        expect(error.message).toContain('released');
        expect(error.message).toContain('go');
        const stored = await store.getGate({ gateId: gate.id });
        expect(stored).toMatchObject({ state: 'in-progress', version: 1 });
      });

      it('refuses a transition when the gate changed since it was read', async () => {
        const gate = await openGate();
        await store.updateItem({
          gateId: gate.id,
          itemId: 'release-notes',
          version: 1,
          patch: { status: 'passed' },
          actor: QUINN,
        });

        await expectConflict(
          store.transition({
            gateId: gate.id,
            from: ['in-progress'],
            to: 'go',
            actor: PRIYA,
            expectedVersion: gate.version,
            decision: {
              verdict: 'go',
              reason: 'All green',
              stateHash: 'b'.repeat(64),
            },
          }),
        );

        const stored = await store.getGate({ gateId: gate.id });
        expect(stored).toMatchObject({
          state: 'in-progress',
          version: 2,
          decisions: [],
        });
        expect(await knex('decisions').pluck('id')).toEqual([]);
      });

      it('records a decision with the state it was taken on', async () => {
        const gate = await openGate();

        const decided = await store.transition({
          gateId: gate.id,
          from: ['in-progress'],
          to: 'go',
          actor: SAM,
          expectedVersion: 1,
          decision: {
            verdict: 'go',
            reason: 'All green',
            stateHash: 'c'.repeat(64),
          },
        });

        expect(decided.state).toBe('go');
        expect(decided.version).toBe(2);
        expect(decided.decisions).toEqual([
          {
            id: expect.any(String),
            verdict: 'go',
            reason: 'All green',
            by: SAM,
            at: decided.updatedAt,
            stateHash: 'c'.repeat(64),
          },
        ]);
        const rows = await knex('decisions').where({ gate_id: gate.id });
        expect(rows).toEqual([
          expect.objectContaining({
            id: decided.decisions[0].id,
            verdict: 'go',
            reason: 'All green',
            decided_by: SAM,
            state_hash: 'c'.repeat(64),
          }),
        ]);
      });

      it('records only one of two simultaneous decisions', async () => {
        const gate = await openGate();
        const decide = (verdict: 'go' | 'no-go', actor: string) =>
          store.transition({
            gateId: gate.id,
            from: ['in-progress'],
            to: verdict,
            actor,
            expectedVersion: gate.version,
            decision: {
              verdict,
              reason: `${verdict} by ${actor}`,
              stateHash: 'f'.repeat(64),
            },
          });

        const results = await race(gate.id, [
          () => decide('go', SAM),
          () => decide('no-go', QUINN),
        ]);

        const fulfilled = results.filter(
          (
            r,
          ): r is PromiseFulfilledResult<Awaited<ReturnType<typeof decide>>> =>
            r.status === 'fulfilled',
        );
        const rejected = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason.name).toBe('ConflictError');
        const winner = fulfilled[0].value;
        expect(winner.decisions).toHaveLength(1);
        expect(winner.state).toBe(winner.decisions[0].verdict);
        expect(await knex('decisions').pluck('id')).toEqual([
          winner.decisions[0].id,
        ]);
        // The loser's metrics row was rolled back with its decision.
        const metrics = await knex('gate_metrics').where({ gate_id: gate.id });
        expect(metrics).toHaveLength(1);
        expect([metrics[0].go_count, metrics[0].no_go_count]).toEqual(
          winner.state === 'go' ? [1, 0] : [0, 1],
        );
        expect((await store.getGate({ gateId: gate.id }))!.state).toBe(
          winner.state,
        );
      });

      it('moves on without a decision row for plain transitions', async () => {
        const gate = await openGate();
        await store.transition({
          gateId: gate.id,
          from: ['in-progress'],
          to: 'go',
          actor: SAM,
          decision: {
            verdict: 'go',
            reason: 'Ship it',
            stateHash: 'd'.repeat(64),
          },
        });

        const released = await store.transition({
          gateId: gate.id,
          from: ['go'],
          to: 'released',
          actor: PRIYA,
        });

        expect(released.state).toBe('released');
        expect(released.version).toBe(3);
        expect(
          await knex('decisions').where({ gate_id: gate.id }),
        ).toHaveLength(1);
        const audit = await log.listAudit({ gateId: gate.id });
        expect(audit[audit.length - 1]).toMatchObject({
          action: 'gate.released',
          before: { state: 'go' },
          after: { state: 'released' },
        });
      });
    });

    describe('metrics rows', () => {
      const metricsRow = async (gateId: string) => {
        const row = await knex('gate_metrics')
          .where({ gate_id: gateId })
          .first();
        return row && { ...row, released: Boolean(row.released) };
      };
      const decide = (
        gateId: string,
        verdict: 'go' | 'no-go',
        blockers?: number,
      ) =>
        store.transition({
          gateId,
          from: ['in-progress'],
          to: verdict,
          actor: SAM,
          decision: {
            verdict,
            reason: verdict,
            stateHash: 'e'.repeat(64),
            blockers,
          },
        });

      it("keeps a gate's metrics row in step with its decisions and state", async () => {
        const gate = await openGate();
        expect(await metricsRow(gate.id)).toMatchObject({
          entity_ref: ENTITY,
          release: '1.0.0',
          tier: 1,
          month: gate.openedAt.slice(0, 7),
          released: false,
          go_count: 0,
          no_go_count: 0,
          blocker_sum: 0,
          blocker_count: 0,
          lead_ms: null,
        });

        await tick();
        await decide(gate.id, 'no-go', 3);
        await store.transition({
          gateId: gate.id,
          from: ['no-go'],
          to: 'in-progress',
          actor: PRIYA,
        });
        await tick();
        // No blocker count recorded: counted as a decision, not in the mean.
        const decided = await decide(gate.id, 'go');
        const firstGo = decided.decisions.find(d => d.verdict === 'go')!;
        expect(await metricsRow(gate.id)).toMatchObject({
          released: false,
          go_count: 1,
          no_go_count: 1,
          blocker_sum: 3,
          blocker_count: 1,
        });
        const lead = Number((await metricsRow(gate.id)).lead_ms);
        expect(lead).toBeGreaterThan(0);
        expect(lead).toBe(Date.parse(firstGo.at) - Date.parse(gate.openedAt));

        await store.transition({
          gateId: gate.id,
          from: ['go'],
          to: 'released',
          actor: PRIYA,
        });
        expect(await metricsRow(gate.id)).toMatchObject({
          released: true,
          go_count: 1,
        });
      });

      it('copies the owner and system of the entity index onto the row', async () => {
        const info = (ownerRef?: string, systemRef?: string) => ({
          entityRef: ENTITY,
          kind: 'component',
          title: 'Payment gateway',
          tags: [],
          ...(ownerRef ? { ownerRef } : {}),
          ...(systemRef ? { systemRef } : {}),
        });
        const ownership = async (gateId: string) => {
          const row = await metricsRow(gateId);
          return [row.owner_ref, row.system_ref];
        };
        await entities.upsertEntities({
          entities: [info('group:default/payments', 'system:default/pay')],
          refreshedAt: '2026-11-01T00:00:00.000Z',
        });
        const gate = await openGate();
        const other = await openGate({ entityRef: OTHER_ENTITY });
        expect(await ownership(gate.id)).toEqual([
          'group:default/payments',
          'system:default/pay',
        ]);
        expect(await ownership(other.id)).toEqual([null, null]);

        // The catalog moves the entity to another team, then out of its system.
        await entities.upsertEntities({
          entities: [info('group:default/ledger', 'system:default/pay')],
          refreshedAt: '2026-11-02T00:00:00.000Z',
        });
        expect(await ownership(gate.id)).toEqual([
          'group:default/ledger',
          'system:default/pay',
        ]);
        await entities.upsertEntity({ entity: info('group:default/ledger') });
        expect(await ownership(gate.id)).toEqual([
          'group:default/ledger',
          null,
        ]);

        // A decision rewrites the row with the owner of the index.
        await decide(gate.id, 'no-go', 1);
        expect(await ownership(gate.id)).toEqual([
          'group:default/ledger',
          null,
        ]);

        // The entity leaves the catalog.
        expect(
          await entities.removeStaleEntities({
            kinds: ['component'],
            before: '2030-01-01T00:00:00.000Z',
          }),
        ).toBe(1);
        expect(await ownership(gate.id)).toEqual([null, null]);
      });

      it('counts the incidents of its release recorded after it opened, not the ungated ones before', async () => {
        const incidents = DatabaseIncidentStore.create({ db: knex });
        const incident = (release: string) =>
          incidents.addIncident({
            incident: {
              entityRef: ENTITY,
              release,
              severity: 'sev2',
              title: 'Checkout errors',
              occurredAt: '2026-11-27T12:00:00.000Z',
              reportedBy: PRIYA,
            },
          });
        // Recorded before the release had a gate: ungated, and never
        // counted against the gate opened later (changed by issue 14; it
        // used to count).
        const early = await incident('1.0.0');
        expect(early.ungated).toBe(true);
        const gate = await openGate({ release: '1.0.0' });
        const other = await openGate({ release: '2.0.0' });
        expect((await metricsRow(gate.id)).incidents).toBe(0);
        const late = await incident('1.0.0');
        expect(late.ungated).toBeUndefined();
        await incident('1.0.0');
        await incident('3.0.0');
        expect((await metricsRow(gate.id)).incidents).toBe(2);
        expect((await metricsRow(other.id)).incidents).toBe(0);
        // A decision keeps the count.
        await decide(gate.id, 'go', 0);
        expect((await metricsRow(gate.id)).incidents).toBe(2);
      });

      it('has no row for a cancelled gate', async () => {
        const gate = await openGate();
        await decide(gate.id, 'no-go', 2);
        await store.transition({
          gateId: gate.id,
          from: ['no-go'],
          to: 'cancelled',
          actor: PRIYA,
        });
        expect(await metricsRow(gate.id)).toBeUndefined();
      });

      it('leaves the row as it was when the transition is refused', async () => {
        const gate = await openGate();
        const before = await metricsRow(gate.id);
        await expectConflict(
          store.transition({
            gateId: gate.id,
            from: ['in-progress'],
            to: 'go',
            actor: SAM,
            expectedVersion: gate.version + 1,
            decision: {
              verdict: 'go',
              reason: 'go',
              stateHash: 'e'.repeat(64),
            },
          }),
        );
        expect(await metricsRow(gate.id)).toEqual(before);
      });
    });
  },
);
