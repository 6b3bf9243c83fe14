import { TestDatabases } from '@backstage/backend-test-utils';
import { Gate } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import {
  DatabaseAuditLog,
  DatabaseGateStore,
  DatabaseStoreTransactions,
  StoreTransactions,
} from '../database';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { NADIA, PRIYA } from '../__testUtils__/fixtures';
import { createTestService } from '../__testUtils__/service';
import { GateDomain } from '.';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const GATEWAY = 'component:default/payment-gateway';

describe.each(databases.eachSupportedId())(
  "a gate's change and its entity's summary on %s",
  databaseId => {
    let knex: Knex;
    let gates: DatabaseGateStore;
    let audit: DatabaseAuditLog;

    /** The gate domain, with the transactions given (the real ones by default). */
    async function createService(transactions?: StoreTransactions) {
      const { domain } = await createTestService(knex, {
        ...(transactions ? { transactions } : {}),
      });
      return { domain, template: domain.access.getTemplate('component-gate')! };
    }

    const summaryRow = () =>
      knex('entities')
        .where({ entity_ref: GATEWAY })
        .first(
          'current_gate_id',
          'current_state',
          'current_verdict',
          'current_score',
          'current_blockers',
          'current_gate_version',
        );

    const open = (domain: GateDomain, template: any) =>
      domain.changes.changeGate(GATEWAY, stores =>
        stores.gates.openGate({
          entityRef: GATEWAY,
          release: '1.0.0',
          template,
          items: template.checklist.map((item: any) => ({
            ...item,
            source: 'template' as const,
          })),
          requestedBy: PRIYA,
        }),
      );

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      gates = DatabaseGateStore.create({ db: knex });
      audit = DatabaseAuditLog.create({ db: knex });
    });

    it('stores the summary the change leaves, with the change', async () => {
      const { domain, template } = await createService();
      const opened = await open(domain, template);
      expect(await summaryRow()).toEqual({
        current_gate_id: opened.id,
        current_state: 'in-progress',
        current_verdict: opened.evaluation.verdict,
        current_score: opened.evaluation.score,
        current_blockers: opened.evaluation.blockers.length,
        current_gate_version: 1,
      });

      const voted = await domain.changes.changeGate(GATEWAY, stores =>
        stores.gates.addVote({
          gateId: opened.id,
          role: 'qa',
          voter: NADIA,
          voterClaims: [NADIA, 'group:default/qa'],
          verdict: 'ready',
        }),
      );
      expect(voted.evaluation.score).toBeGreaterThan(opened.evaluation.score);
      expect(await summaryRow()).toMatchObject({
        current_gate_id: opened.id,
        current_score: voted.evaluation.score,
        current_blockers: voted.evaluation.blockers.length,
        current_gate_version: voted.version,
      });
    });

    it('does not make a change whose summary cannot be stored', async () => {
      const { domain, template } = await createService();
      const opened = await open(domain, template);
      const before = await summaryRow();
      const auditBefore = await audit.listAudit({ gateId: opened.id });

      // Storing the summary of the new state fails (and so would reading
      // evidence again, which the locked read of the gate spares): the
      // vote, its version bump and its audit event go with it.
      const real = DatabaseStoreTransactions.create({ db: knex });
      const failing: StoreTransactions = {
        forEntity: (entityRef, work) =>
          real.forEntity(entityRef, (stores, atStart) =>
            work(
              {
                ...stores,
                entities: Object.assign(Object.create(stores.entities), {
                  setGateSummary: async () => {
                    throw new Error('connection lost');
                  },
                }),
                evidence: {
                  addEvidence: stores.evidence.addEvidence.bind(
                    stores.evidence,
                  ),
                  addEvidenceMany: stores.evidence.addEvidenceMany.bind(
                    stores.evidence,
                  ),
                  listEvidence: async () => {
                    throw new Error('connection lost');
                  },
                  listNewestEvidence: async () => {
                    throw new Error('connection lost');
                  },
                  pageEvidence: async () => {
                    throw new Error('connection lost');
                  },
                },
              },
              atStart,
            ),
          ),
      };
      const { domain: broken } = await createService(failing);
      await expect(
        broken.changes.changeGate(GATEWAY, stores =>
          stores.gates.addVote({
            gateId: opened.id,
            role: 'qa',
            voter: NADIA,
            voterClaims: [NADIA, 'group:default/qa'],
            verdict: 'ready',
          }),
        ),
      ).rejects.toThrow('connection lost');

      const after = (await gates.getGate({ gateId: opened.id })) as Gate;
      expect(after.votes).toEqual([]);
      expect(after.version).toBe(opened.version);
      expect(await audit.listAudit({ gateId: opened.id })).toEqual(auditBefore);
      expect(await summaryRow()).toEqual(before);
    });

    it('stores evidence that waited for a change with the gate that change made current', async () => {
      const { domain, template } = await createService();
      await open(domain, template);
      await new Promise(resolve => setTimeout(resolve, 5));

      // A gate for 1.1.0 is opened and held open, its summary taken before
      // CI's evidence for 1.1.0 could be stored.
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let opening!: () => void;
      const opened = new Promise<void>(resolve => {
        opening = resolve;
      });
      const later = domain.changes.changeGate(GATEWAY, async stores => {
        const gate = await stores.gates.openGate({
          entityRef: GATEWAY,
          release: '1.1.0',
          template,
          items: template.checklist.map((item: any) => ({
            ...item,
            source: 'template' as const,
          })),
          requestedBy: PRIYA,
        });
        opening();
        await held;
        return gate;
      });
      await opened;
      const evidence = domain.changes.changeEntity(
        GATEWAY,
        stores =>
          stores.evidence.addEvidence({
            evidence: {
              entityRef: GATEWAY,
              release: '1.1.0',
              type: 'test-report',
              status: 'passed',
              metrics: { passed: true },
              runId: 'run-1',
              observedAt: new Date().toISOString(),
              postedBy: 'external:ci',
            },
          }),
        { onlyForRelease: '1.1.0' },
      );
      // Let the evidence's transaction start waiting for the entity.
      await new Promise(resolve => setTimeout(resolve, 200));
      release();
      const gate = await later;
      await evidence;

      // The summary as stored, then the evaluation (which writes nothing).
      const stored = await summaryRow();
      const now = await domain.evaluator.evaluate(
        (await gates.getGate({ gateId: gate.id }))!,
      );
      expect(now.blockers.length).toBe(gate.evaluation.blockers.length - 1);
      expect(stored).toMatchObject({
        current_gate_id: gate.id,
        current_blockers: now.blockers.length,
        current_score: now.score,
      });
    });

    it('moves the summary to the earlier gate when the current one is cancelled', async () => {
      const { domain, template } = await createService();
      const earlier = await open(domain, template);
      await new Promise(resolve => setTimeout(resolve, 5));
      const later = await domain.changes.changeGate(GATEWAY, stores =>
        stores.gates.openGate({
          entityRef: GATEWAY,
          release: '1.1.0',
          template,
          items: [],
          requestedBy: PRIYA,
        }),
      );
      expect((await summaryRow()).current_gate_id).toBe(later.id);

      await domain.changes.changeGate(GATEWAY, stores =>
        stores.gates.transition({
          gateId: later.id,
          from: ['in-progress'],
          to: 'cancelled',
          actor: PRIYA,
          reason: 'Built from the wrong branch',
        }),
      );
      expect(await summaryRow()).toMatchObject({
        current_gate_id: earlier.id,
        current_state: 'in-progress',
        current_gate_version: earlier.version,
      });

      await domain.changes.changeGate(GATEWAY, stores =>
        stores.gates.transition({
          gateId: earlier.id,
          from: ['in-progress'],
          to: 'cancelled',
          actor: PRIYA,
          reason: 'Not shipping',
        }),
      );
      expect(await summaryRow()).toEqual({
        current_gate_id: null,
        current_state: null,
        current_verdict: null,
        current_score: null,
        current_blockers: null,
        current_gate_version: null,
      });
    });
  },
);
