/*
 * Writes on the gate their transaction read locked (issue 20: a sign-off,
 * an item update and a risk update read their gate once): what the store
 * answers is what a read of the gate returns after the commit, to the
 * field; a gate read elsewhere (outside the transaction, or before another
 * write) is not trusted, and the lock is a lock.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { Evidence, Gate } from '@release-readiness/plugin-common';
import {
  openTestGate,
  PRIYA,
  QUINN,
  RISK,
  SAM,
  tick,
  WAIVER,
} from './__testUtils__/storeFixtures';
import { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
import { DatabaseGateStore } from './DatabaseGateStore';
import { newestEvidenceReadWith } from './gateRows';
import { MIGRATIONS_DIRECTORY } from './migrations';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'a vote on the gate read locked, on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseGateStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      store = DatabaseGateStore.create({ db: knex });
    });

    afterEach(() => knex.destroy());

    const sortedClaims = (claims: Map<string, string[]>) =>
      Object.fromEntries(
        [...claims].map(([voter, c]) => [voter, [...c].sort()]),
      );

    /** A vote in a transaction that first reads the gate locked. */
    const voteLocked = (
      gateId: string,
      voter: string,
      role: string,
      verdict: 'ready' | 'not-ready',
      claims: string[] = [voter],
    ) =>
      knex.transaction(async trx => {
        const tx = DatabaseGateStore.create({ db: trx });
        const gate = await tx.getGate({ gateId, lock: true });
        const updated = await tx.addVote({
          gateId,
          role,
          voter,
          voterClaims: claims,
          verdict,
          comment: `${voter} says ${verdict}`,
          gate,
        });
        return {
          updated,
          claims: await tx.getVoterClaims({ gateId, gate: updated }),
        };
      });

    it('answers what a read returns after the commit: a first vote, a second role, a vote superseded', async () => {
      const gate = await openTestGate(store);
      for (const [voter, role, verdict, claims] of [
        [QUINN, 'qa', 'not-ready', [QUINN, 'group:default/qa']],
        [SAM, 'engineering', 'ready', [SAM]],
        [QUINN, 'engineering', 'ready', [QUINN, 'group:default/payments']],
        [QUINN, 'qa', 'ready', [QUINN, 'group:default/qa-leads']],
      ] as const) {
        await tick();
        const { updated, claims: known } = await voteLocked(
          gate.id,
          voter,
          role,
          verdict,
          [...claims],
        );
        const read = await store.getGate({ gateId: gate.id });
        expect(updated).toEqual(read);
        // The claims as a set per voter: a read without the gate lists
        // them in the order the database returns the votes.
        expect(sortedClaims(known)).toEqual(
          sortedClaims(await store.getVoterClaims({ gateId: gate.id })),
        );
      }
      const read = await store.getGate({ gateId: gate.id });
      expect(read!.version).toBe(5);
      expect(read!.votes.filter(v => v.supersededAt)).toEqual([
        expect.objectContaining({
          voter: QUINN,
          role: 'qa',
          verdict: 'not-ready',
        }),
      ]);
      // Quinn's claims: the live qa vote's and the engineering vote's.
      expect(
        (await store.getVoterClaims({ gateId: gate.id })).get(QUINN)!.sort(),
      ).toEqual(
        [QUINN, 'group:default/payments', 'group:default/qa-leads'].sort(),
      );
      // Each vote is in the audit trail with what it replaced.
      const trail = await knex('audit_events')
        .where({ gate_id: gate.id, action: 'signoff.vote' })
        .orderBy('seq');
      expect(trail).toHaveLength(4);
      expect(JSON.parse(trail[3].before)).toEqual({
        role: 'qa',
        verdict: 'not-ready',
        comment: `${QUINN} says not-ready`,
      });
    });

    it('does not take a gate read outside the transaction: a vote written since is superseded all the same', async () => {
      const gate = await openTestGate(store);
      const stale = await store.getGate({ gateId: gate.id, lock: true });
      await store.addVote({
        gateId: gate.id,
        role: 'qa',
        voter: QUINN,
        voterClaims: [QUINN],
        verdict: 'not-ready',
      });

      const updated = await knex.transaction(trx =>
        DatabaseGateStore.create({ db: trx }).addVote({
          gateId: gate.id,
          role: 'qa',
          voter: QUINN,
          voterClaims: [QUINN],
          verdict: 'ready',
          gate: stale,
        }),
      );

      expect(updated).toEqual(await store.getGate({ gateId: gate.id }));
      const live = await knex('votes')
        .where({ gate_id: gate.id, voter: QUINN })
        .whereNull('superseded_at');
      expect(live.map(v => v.verdict)).toEqual(['ready']);
      expect(updated.version).toBe(3);
    });

    it('refuses a vote on a gate the locked read found closed', async () => {
      const gate = await openTestGate(store);
      await store.transition({
        gateId: gate.id,
        from: ['in-progress'],
        to: 'cancelled',
        actor: PRIYA,
        reason: 'Wrong template',
      });

      await expect(
        voteLocked(gate.id, QUINN, 'qa', 'ready'),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      expect(await knex('votes').where({ gate_id: gate.id })).toEqual([]);
    });

    it('answers an item update and a risk update with what a read returns after the commit', async () => {
      const gate = await openTestGate(store);
      const item = (id: string) => gate.items.find(i => i.id === id)!;
      // A required item failed (the checklist revision moves on), then
      // waived, then a note on an optional one; and two risk versions, the
      // second on the gate the transaction read locked.
      const changes: Array<() => Promise<unknown>> = [
        () =>
          store.updateItem({
            gateId: gate.id,
            itemId: 'manual-qa',
            version: item('manual-qa').version,
            patch: { status: 'failed', note: 'Checkout broken' },
            actor: SAM,
          }),
        () =>
          store.updateItem({
            gateId: gate.id,
            itemId: 'manual-qa',
            version: item('manual-qa').version + 1,
            patch: { status: 'waived', waiver: WAIVER },
            actor: SAM,
          }),
        () =>
          store.putRisk({
            gateId: gate.id,
            version: 0,
            risk: RISK,
            actor: PRIYA,
          }),
        () =>
          knex.transaction(async trx => {
            const tx = DatabaseGateStore.create({ db: trx });
            const locked = await tx.getGate({ gateId: gate.id, lock: true });
            return tx.putRisk({
              gateId: gate.id,
              version: 1,
              risk: { ...RISK, rollbackPlan: 'Roll back with the flag' },
              actor: PRIYA,
              gate: locked,
            });
          }),
      ];
      let revision = gate.checklistRevision;
      for (const change of changes) {
        await tick();
        const answered = (await change()) as Gate;
        expect(answered).toEqual(await store.getGate({ gateId: gate.id }));
        revision = answered.checklistRevision;
      }
      // The required item's status changes each moved the revision.
      expect(revision).toBe(gate.checklistRevision + 2);
      const stored = await store.getGate({ gateId: gate.id });
      expect(stored!.version).toBe(gate.version + 4);
      expect(stored!.risk).toMatchObject({
        version: 2,
        rollbackPlan: 'Roll back with the flag',
      });
      // An edit on a version since replaced is refused with the version
      // stored, and changes nothing.
      await expect(
        store.updateItem({
          gateId: gate.id,
          itemId: 'manual-qa',
          version: item('manual-qa').version,
          patch: { status: 'passed' },
          actor: SAM,
        }),
      ).rejects.toThrow(
        `Checklist item manual-qa is at version ${
          item('manual-qa').version + 2
        }, not ${item('manual-qa').version}`,
      );
      expect(await store.getGate({ gateId: gate.id })).toEqual(stored);
    });

    it("reads with the locked gate its release's newest evidence as the evidence store ranks it", async () => {
      const gate = await openTestGate(store);
      const evidence = DatabaseEvidenceStore.create({ db: knex });
      const fact = (
        n: number,
        type: string,
        status: 'passed' | 'failed',
        observedAt: string,
        release = gate.release,
      ) => ({
        entityRef: gate.entityRef,
        release,
        type,
        status,
        metrics: { n, note: 'ünïcode "quoted"' },
        runId: `run-${n}`,
        observedAt,
        postedBy: 'external:ci',
        ...(n === 2
          ? { link: 'https://ci.example.com/2', commit: 'abc1234' }
          : {}),
      });
      // Per type, the newest and the newest passed; an equal time broken
      // by the id; another release's facts left out.
      await evidence.addEvidenceMany({
        evidence: [
          fact(1, 'test-report', 'passed', '2026-12-01T10:00:00.000Z'),
          fact(2, 'test-report', 'failed', '2026-12-01T11:00:00.000Z'),
          fact(3, 'test-report', 'passed', '2026-12-01T09:00:00.000Z'),
          fact(4, 'security-scan', 'failed', '2026-12-01T10:00:00.000Z'),
          fact(5, 'security-scan', 'failed', '2026-12-01T10:00:00.000Z'),
        ],
      });
      await evidence.addEvidence({
        evidence: fact(
          6,
          'test-report',
          'passed',
          '2026-12-02T10:00:00.000Z',
          '9.9.9',
        ),
      });
      const byId = (list: Evidence[]) =>
        [...list].sort((a, b) => a.id.localeCompare(b.id));

      const locked = await knex.transaction(trx =>
        DatabaseGateStore.create({ db: trx }).getGate({
          gateId: gate.id,
          lock: true,
        }),
      );

      const read = newestEvidenceReadWith(locked!);
      const listed = await evidence.listNewestEvidence({
        entityRef: gate.entityRef,
        release: gate.release,
      });
      expect(byId(read!)).toEqual(byId(listed));
      expect(read!.map(e => e.runId).sort()).toEqual(
        [
          'run-1',
          'run-2',
          listed.find(e => e.type === 'security-scan')!.runId,
        ].sort(),
      );
      // A gate read without the lock carries none: the evaluation reads it.
      expect(
        newestEvidenceReadWith((await store.getGate({ gateId: gate.id }))!),
      ).toBeUndefined();
    });

    it('holds the gate locked until the transaction ends (PostgreSQL; SQLite has one writer)', async () => {
      if (databaseId !== 'POSTGRES_15') return;
      const gate = await openTestGate(store);
      const trx = await knex.transaction();
      try {
        await DatabaseGateStore.create({ db: trx }).getGate({
          gateId: gate.id,
          lock: true,
        });
        await expect(
          knex.transaction(other =>
            other('gates').where({ id: gate.id }).forUpdate().noWait(),
          ),
        ).rejects.toThrow(/could not obtain lock/);
      } finally {
        await trx.rollback();
      }
      await expect(
        knex.transaction(other =>
          other('gates').where({ id: gate.id }).forUpdate().noWait(),
        ),
      ).resolves.toHaveLength(1);
    });
  },
);
