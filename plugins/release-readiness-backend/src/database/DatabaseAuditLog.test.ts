import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  ENTITY,
  ITEMS,
  openTestGate,
  PRIYA,
  QUINN,
  RISK,
  SAM,
} from './__testUtils__/storeFixtures';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { DatabaseGateStore } from './DatabaseGateStore';
import { MIGRATIONS_DIRECTORY } from './migrations';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'DatabaseAuditLog on %s',
  databaseId => {
    let knex: Knex;
    let gates: DatabaseGateStore;
    let log: DatabaseAuditLog;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      gates = DatabaseGateStore.create({ db: knex });
      log = DatabaseAuditLog.create({ db: knex });
    });

    // Each test has its own database; free its connections right away.
    afterEach(() => knex.destroy());

    const openGate = (options?: { release?: string }) =>
      openTestGate(gates, options);

    describe('audit trail', () => {
      it('records every change of a gate in order', async () => {
        const gate = await openGate();
        await gates.updateItem({
          gateId: gate.id,
          itemId: 'manual-qa',
          version: 1,
          patch: { status: 'passed', note: 'Done' },
          actor: QUINN,
        });
        await gates.addVote({
          gateId: gate.id,
          role: 'qa',
          voter: QUINN,
          voterClaims: [QUINN],
          verdict: 'ready',
          comment: 'LGTM',
        });
        const withRisk = await gates.putRisk({
          gateId: gate.id,
          version: 0,
          risk: RISK,
          actor: PRIYA,
        });
        await gates.transition({
          gateId: gate.id,
          from: ['in-progress'],
          to: 'go',
          actor: SAM,
          decision: {
            verdict: 'go',
            reason: 'Ready',
            stateHash: 'e'.repeat(64),
          },
        });
        // Another gate's events stay out.
        await openGate({ release: '2.0.0' });

        const audit = await log.listAudit({ gateId: gate.id });

        expect(audit.map(e => [e.action, e.actor])).toEqual([
          ['gate.open', PRIYA],
          ['item.update', QUINN],
          ['signoff.vote', QUINN],
          ['risk.update', PRIYA],
          ['decision.go', SAM],
        ]);
        for (const event of audit) {
          expect(event).toMatchObject({ entityRef: ENTITY, gateId: gate.id });
          expect(Date.parse(event.at)).not.toBeNaN();
        }
        const ids = audit.map(e => Number(e.id));
        expect([...ids].sort((a, b) => a - b)).toEqual(ids);

        const [open, update, vote, risk, decision] = audit;
        expect(open.before).toBeUndefined();
        expect(open.after).toEqual({
          state: 'in-progress',
          release: '1.0.0',
          template: 'component-gate',
          templateVersion: '3',
          templateHash: 'a'.repeat(64),
          items: ITEMS.map(i => i.id),
        });
        expect(update.before).toEqual({
          itemId: 'manual-qa',
          status: 'pending',
        });
        expect(update.after).toEqual({
          itemId: 'manual-qa',
          status: 'passed',
          note: 'Done',
        });
        expect(vote.before).toBeUndefined();
        expect(vote.after).toEqual({
          role: 'qa',
          verdict: 'ready',
          comment: 'LGTM',
        });
        expect(risk.before).toBeUndefined();
        expect(risk.after).toEqual(withRisk.risk);
        expect(decision.before).toEqual({ state: 'in-progress' });
        // The decision's verdict and reason are hashed with it.
        expect(decision.after).toEqual({
          state: 'go',
          verdict: 'go',
          reason: 'Ready',
          stateHash: 'e'.repeat(64),
        });
        expect(audit.map(e => e.seq)).toEqual([1, 2, 3, 4, 5]);
      });

      it('records the previous vote when a vote is replaced', async () => {
        const gate = await openGate();
        const vote = (verdict: 'ready' | 'not-ready', comment: string) =>
          gates.addVote({
            gateId: gate.id,
            role: 'qa',
            voter: QUINN,
            voterClaims: [QUINN],
            verdict,
            comment,
          });
        await vote('not-ready', 'Flaky');
        await vote('ready', 'Fixed');

        const audit = await log.listAudit({ gateId: gate.id });

        expect(audit[2]).toMatchObject({
          action: 'signoff.vote',
          before: { role: 'qa', verdict: 'not-ready', comment: 'Flaky' },
          after: { role: 'qa', verdict: 'ready', comment: 'Fixed' },
        });
      });
    });

    describe('appending', () => {
      const note = (gateId: string) => ({
        entityRef: ENTITY,
        gateId,
        actor: PRIYA,
        action: 'note.add',
        after: { text: 'Checked with the payments team' },
        at: new Date().toISOString(),
      });

      it('links an event appended on its own to the one before it', async () => {
        const gate = await openGate();

        await log.append(note(gate.id));

        const audit = await log.listAudit({ gateId: gate.id });
        expect(audit.map(e => e.action)).toEqual(['gate.open', 'note.add']);
        expect(audit[1].prevHash).toBe(audit[0].hash);
        expect(await log.verifyAuditChain({ gateId: gate.id })).toEqual({
          ok: true,
          events: 2,
        });
      });

      it('appends in the transaction it is bound to, and goes with it', async () => {
        const gate = await openGate();

        await expect(
          knex.transaction(async trx => {
            await DatabaseAuditLog.create({ db: trx }).append(note(gate.id));
            throw new Error('the change failed');
          }),
        ).rejects.toThrow('the change failed');

        expect(
          (await log.listAudit({ gateId: gate.id })).map(e => e.action),
        ).toEqual(['gate.open']);
      });
    });
  },
);
