import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { GateTemplate } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import request from 'supertest';
import { as, HIROSHI, startReadinessBackend } from '../__testUtils__/fixtures';
import {
  DatabaseAuditLog,
  DatabaseEntityIndexStore,
  DatabaseGateStore,
} from '../database';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { verifyChain } from './chain';
import { AuditEvent } from './types';
import { BASE, driveToNoGo, ENTITY } from './__testUtils__/story';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

const TEMPLATE: GateTemplate = {
  name: 'tiny-gate',
  title: 'Tiny gate',
  tier: 1,
  version: '1',
  rapid: false,
  appliesTo: [],
  checklist: [
    {
      id: 'manual-qa',
      title: 'Manual QA',
      category: 'manual-validation',
      required: true,
    },
  ],
  signoffs: {
    selfApproval: false,
    roles: [{ id: 'qa', title: 'QA', eligible: { gateOwners: true }, min: 1 }],
  },
  risk: {
    impactMatrix: false,
    residualRiskAcceptance: false,
    rollbackPlan: false,
    communicationPlan: false,
  },
  hash: 'c'.repeat(64),
  source: 'tiny.yaml',
};

function isPostgres(knex: Knex) {
  return String(knex.client.config.client).includes('pg');
}

/** Lets the next UPDATE through, as someone with access to the database could. */
async function disableAppendOnly(knex: Knex) {
  if (isPostgres(knex)) {
    await knex.raw('ALTER TABLE audit_events DISABLE TRIGGER USER');
  } else {
    await knex.raw('DROP TRIGGER audit_events_no_update');
  }
}

/** The error a statement fails with. */
async function failure(statement: PromiseLike<unknown>): Promise<Error> {
  try {
    await statement;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the statement succeeded');
}

/** The chain of an entity's events without a gate, as the store maps rows. */
async function entityChain(knex: Knex, entityRef: string) {
  const rows = await knex('audit_events')
    .where({ entity_ref: entityRef })
    .whereNull('gate_id')
    .orderBy('id');
  return rows.map(
    (row): AuditEvent => ({
      id: String(row.id),
      entityRef: row.entity_ref,
      actor: row.actor,
      action: row.action,
      ...(row.before ? { before: JSON.parse(row.before) } : {}),
      ...(row.after ? { after: JSON.parse(row.after) } : {}),
      at: new Date(row.at).toISOString(),
      ...(row.prev_hash ? { prevHash: row.prev_hash } : {}),
      ...(row.hash ? { hash: row.hash } : {}),
    }),
  );
}

describe.each(databases.eachSupportedId())(
  'the audit hash chain on %s',
  databaseId => {
    describe('after a release went through its gate', () => {
      let knex: Knex;
      let api: ReturnType<typeof request>;
      let log: DatabaseAuditLog;
      let gateId: string;

      beforeAll(async () => {
        knex = await databases.init(databaseId);
        const backend = await startReadinessBackend({
          knex,
          defaultCredentials: ci as any,
        });
        api = request(backend.server);
        log = DatabaseAuditLog.create({ db: knex });
        ({ gateId } = await driveToNoGo(api));
      });

      it('links every event to the one before it and verifies', async () => {
        const audit = await log.listAudit({ gateId });

        expect(audit.map(e => e.action)).toEqual([
          'gate.open',
          'item.update',
          'item.update',
          'signoff.vote',
          'signoff.vote',
          'signoff.vote',
          'risk.update',
          'decision.no-go',
        ]);
        expect(audit[0].prevHash).toBeUndefined();
        for (const event of audit) {
          expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
        }
        expect(audit.slice(1).map(e => e.prevHash)).toEqual(
          audit.slice(0, -1).map(e => e.hash),
        );
        expect(await log.verifyAuditChain({ gateId })).toEqual({
          ok: true,
          events: 8,
        });
      });

      it('returns the hashes with the audit trail of the API', async () => {
        const res = await api
          .get(`${BASE}/gates/${gateId}/audit`)
          .set('Authorization', as(HIROSHI));

        expect(res.status).toBe(200);
        expect(res.body.items).toEqual(await log.listAudit({ gateId }));
        // What the API returns is enough to check the chain.
        expect(verifyChain(res.body.items)).toEqual({ ok: true, events: 8 });
      });

      it('refuses UPDATE, DELETE and TRUNCATE of audit events', async () => {
        const update = await failure(
          knex('audit_events')
            .where({ gate_id: gateId })
            .update({ actor: 'user:default/mallory' }),
        );
        expect(update.message).toMatch(/append-only/);

        const remove = await failure(knex('audit_events').delete());
        expect(remove.message).toMatch(/append-only/);

        // SQLite has no TRUNCATE; a DELETE without WHERE (above) is its equivalent.
        const truncate = isPostgres(knex)
          ? (await failure(knex.raw('TRUNCATE audit_events'))).message
          : 'append-only';
        expect(truncate).toMatch(/append-only/);

        expect(await log.verifyAuditChain({ gateId })).toEqual({
          ok: true,
          events: 8,
        });
      });

      it('names the first event changed behind its back', async () => {
        const audit = await log.listAudit({ gateId });
        const vote = audit[4];
        expect(vote.action).toBe('signoff.vote');

        await disableAppendOnly(knex);
        await knex('audit_events')
          .where({ id: vote.id })
          .update({
            after: JSON.stringify({ role: 'qa', verdict: 'ready' }),
          });

        expect(await log.verifyAuditChain({ gateId })).toEqual({
          ok: false,
          events: 8,
          firstBroken: {
            id: vote.id,
            action: 'signoff.vote',
            at: vote.at,
            reason: expect.stringMatching(/hash does not match the content/),
          },
        });
      });
    });

    describe('with several writers at once', () => {
      let knex: Knex;
      let gates: DatabaseGateStore;
      let entities: DatabaseEntityIndexStore;
      let log: DatabaseAuditLog;

      beforeEach(async () => {
        knex = await databases.init(databaseId);
        await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
        gates = DatabaseGateStore.create({ db: knex });
        entities = DatabaseEntityIndexStore.create({ db: knex });
        log = DatabaseAuditLog.create({ db: knex });
      });

      afterEach(() => knex.destroy());

      it('keeps one chain per gate', async () => {
        const gate = await gates.openGate({
          entityRef: ENTITY,
          release: '9.9.9',
          template: TEMPLATE,
          items: TEMPLATE.checklist.map(i => ({
            ...i,
            source: 'template' as const,
          })),
          requestedBy: 'user:default/priya',
        });

        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            gates.addVote({
              gateId: gate.id,
              role: 'qa',
              voter: `user:default/voter-${i}`,
              voterClaims: [],
              verdict: 'ready',
            }),
          ),
        );

        expect(await log.verifyAuditChain({ gateId: gate.id })).toEqual({
          ok: true,
          events: 9,
        });
      });

      it('keeps one chain per entity for events without a gate', async () => {
        // Nothing else serializes these writes: only the chain lock does.
        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            entities.addServiceItem({
              entityRef: ENTITY,
              item: {
                id: `check-${i}`,
                title: `Check ${i}`,
                category: 'documentation',
                required: false,
              },
              actor: 'user:default/priya',
            }),
          ),
        );
        await entities.addServiceItem({
          entityRef: 'component:default/ledger',
          item: {
            id: 'check-0',
            title: 'Check',
            category: 'documentation',
            required: false,
          },
          actor: 'user:default/priya',
        });

        const events = await entityChain(knex, ENTITY);
        expect(events).toHaveLength(8);
        expect(verifyChain(events)).toEqual({ ok: true, events: 8 });
        const ledger = await entityChain(knex, 'component:default/ledger');
        expect(ledger[0].prevHash).toBeUndefined();
        expect(verifyChain(ledger)).toEqual({ ok: true, events: 1 });
      });
    });
  },
);
