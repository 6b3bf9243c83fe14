/*
 * Tampering with the stored trail, as someone with write access to the
 * database would, is detected and located by `GET /gates/:id/audit/verify`
 * and shown in the dossier: an edited gate row, an edited decision reason, a
 * lost tail, a forged tail with correct hashes, and (SQLite) REPLACE INTO,
 * which the database refuses outright.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  HIROSHI,
  MARGARET,
  TOMASZ,
  startReadinessBackend,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { driveToReady } from '../__testUtils__/readyGate';
import { hashAuditEvent } from './chain';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/**
 * The error a statement fails with. (better-sqlite3 builds its errors with
 * the Error of the first test file that loaded it in a Jest worker, so
 * `rejects.toThrow` does not recognise them in later files.)
 */
async function failure(statement: PromiseLike<unknown>): Promise<Error> {
  try {
    await statement;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the statement succeeded');
}
const BASE = '/api/release-readiness';
const ENTITY = 'component:default/payment-gateway';
/** The pipeline that posts evidence (requests without a user token). */
const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

function isPg(knex: Knex) {
  return String(knex.client.config.client).includes('pg');
}

/** Runs `work` with the append-only triggers of audit_events set aside. */
async function bypassingTriggers(knex: Knex, work: () => Promise<void>) {
  if (isPg(knex)) {
    await knex.raw('ALTER TABLE audit_events DISABLE TRIGGER USER');
    try {
      await work();
    } finally {
      await knex.raw('ALTER TABLE audit_events ENABLE TRIGGER USER');
    }
    return;
  }
  const triggers: { name: string; sql: string }[] = await knex('sqlite_master')
    .where({ type: 'trigger', tbl_name: 'audit_events' })
    .select('name', 'sql');
  for (const t of triggers) await knex.raw(`DROP TRIGGER ${t.name}`);
  try {
    await work();
  } finally {
    for (const t of triggers) await knex.raw(t.sql);
  }
}

describe.each(databases.eachSupportedId())(
  'tampering with the audit trail on %s',
  databaseId => {
    let knex: Knex;
    let api: ReturnType<typeof request>;
    let release = 0;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const backend = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
        features: [policyPermissions.factory],
      });
      api = request(backend.server);
    });

    /** A gate decided GO with a reason and released: 13 events. */
    async function releasedGate(): Promise<string> {
      release += 1;
      const gate = await driveToReady(api, `9.${release}.0`);
      const go = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'All green, signed off by all' });
      expect(go.status).toBe(200);
      const released = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(MARGARET))
        .send({ transition: 'release', reason: 'Shipped in the 10:00 train' });
      expect(released.status).toBe(200);
      return gate.id;
    }

    const verify = async (gateId: string) => {
      const res = await api
        .get(`${BASE}/gates/${gateId}/audit/verify`)
        .set('Authorization', as(HIROSHI));
      expect(res.status).toBe(200);
      return res.body;
    };

    const dossier = async (gateId: string) => {
      const json = await api
        .get(`${BASE}/gates/${gateId}/dossier`)
        .set('Authorization', as(HIROSHI));
      const md = await api
        .get(`${BASE}/gates/${gateId}/dossier?format=md`)
        .set('Authorization', as(HIROSHI));
      return { json: json.body, md: md.text as string };
    };

    const events = (gateId: string) =>
      knex('audit_events').where({ gate_id: gateId }).orderBy('id');

    it('verifies an untouched trail, with every state change and the decision reason hashed', async () => {
      const gateId = await releasedGate();
      const rows = await events(gateId);
      const result = await verify(gateId);
      expect(result).toEqual({
        intact: true,
        chain: `gate:${gateId}`,
        events: rows.length,
        head: {
          chain: `gate:${gateId}`,
          seq: rows.length,
          hash: rows[rows.length - 1].hash,
        },
      });
      expect(rows.map(r => Number(r.seq))).toEqual(rows.map((_r, i) => i + 1));
      const byAction = (action: string) =>
        JSON.parse(rows.find(r => r.action === action)!.after);
      expect(byAction('gate.open')).toMatchObject({ state: 'in-progress' });
      expect(byAction('decision.go')).toMatchObject({
        state: 'go',
        verdict: 'go',
        reason: 'All green, signed off by all',
      });
      expect(
        JSON.parse(rows.find(r => r.action === 'decision.go')!.before),
      ).toEqual({ state: 'in-progress' });
      expect(byAction('gate.released')).toMatchObject({
        state: 'released',
        reason: 'Shipped in the 10:00 train',
      });
      // The decision row keeps the head its own event made.
      const decision = await knex('decisions')
        .where({ gate_id: gateId })
        .first();
      const decisionEvent = rows.find(r => r.action === 'decision.go')!;
      expect(Number(decision.head_seq)).toBe(Number(decisionEvent.seq));
      expect(decision.head_hash).toBe(decisionEvent.hash);
      // And audit_heads the last one.
      const head = await knex('audit_heads')
        .where({ chain: `gate:${gateId}` })
        .first();
      expect(Number(head.seq)).toBe(rows.length);

      const { json, md } = await dossier(gateId);
      expect(json.verification).toEqual(result);
      expect(md).toContain(
        `Trail and anchors: intact (${rows.length} events, head seq ${rows.length}`,
      );
      expect(md).toContain('## How to recompute the hashes');
    });

    it('detects and locates an edited gate row state', async () => {
      const gateId = await releasedGate();
      await knex('gates').where({ id: gateId }).update({ state: 'go' });
      const released = (await events(gateId)).find(
        r => r.action === 'gate.released',
      )!;

      const result = await verify(gateId);
      expect(result).toMatchObject({
        intact: false,
        firstBroken: {
          seq: Number(released.seq),
          id: String(released.id),
          record: 'gates',
          reason: expect.stringMatching(
            /gates row says the gate is go, .* left it released/,
          ),
        },
      });
      const { json, md } = await dossier(gateId);
      expect(json.verification.firstBroken).toEqual(result.firstBroken);
      expect(md).toContain(
        `Trail and anchors: BROKEN at seq ${released.seq} (event #${released.id}), found in gates`,
      );
    });

    it('detects and locates an edited decision reason', async () => {
      const gateId = await releasedGate();
      await knex('decisions')
        .where({ gate_id: gateId })
        .update({ reason: 'Approved by the CTO' });
      const decided = (await events(gateId)).find(
        r => r.action === 'decision.go',
      )!;

      const result = await verify(gateId);
      expect(result.intact).toBe(false);
      expect(result.firstBroken).toEqual({
        seq: Number(decided.seq),
        id: String(decided.id),
        record: 'decisions',
        reason: expect.stringContaining(
          'the row\'s reason "Approved by the CTO" is not the hashed reason "All green, signed off by all"',
        ),
      });
      const { md } = await dossier(gateId);
      expect(md).toContain(
        `Trail and anchors: BROKEN at seq ${decided.seq} (event #${decided.id}), found in decisions`,
      );
    });

    it('detects a truncated tail, even when audit_heads is rewritten to match', async () => {
      const gateId = await releasedGate();
      const rows = await events(gateId);
      const last = rows[rows.length - 1];
      await bypassingTriggers(knex, async () => {
        await knex('audit_events').where({ id: last.id }).delete();
      });

      const cut = await verify(gateId);
      expect(cut).toMatchObject({
        intact: false,
        events: rows.length - 1,
        firstBroken: {
          seq: rows.length,
          record: 'audit_heads',
          reason: expect.stringContaining(
            `the chain ends at seq ${
              rows.length - 1
            }, but audit_heads anchors seq ${rows.length}`,
          ),
        },
      });
      expect(cut.firstBroken.id).toBeUndefined();

      // Cut back past the decision, and audit_heads made to agree: the
      // decision's anchor and the gate row still disagree.
      const decided = rows.find(r => r.action === 'decision.go')!;
      await bypassingTriggers(knex, async () => {
        await knex('audit_events')
          .where({ gate_id: gateId })
          .where('seq', '>=', decided.seq)
          .delete();
      });
      const previous = rows[Number(decided.seq) - 2];
      await knex('audit_heads')
        .where({ chain: `gate:${gateId}` })
        .update({ seq: previous.seq, hash: previous.hash });

      const decision = await knex('decisions')
        .where({ gate_id: gateId })
        .first();
      const deeper = await verify(gateId);
      expect(deeper.intact).toBe(false);
      expect(deeper.firstBroken).toEqual({
        seq: Number(decided.seq),
        record: 'decisions',
        reason: expect.stringContaining(
          `the chain ends at seq ${previous.seq}, but decision ${decision.id} (GO by ${TOMASZ}) anchors seq ${decided.seq}`,
        ),
      });
      // The gate row's state disagrees too: the chain says in progress.
      expect(deeper.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            record: 'gates',
            reason: expect.stringContaining(
              'the gates row says the gate is released',
            ),
          }),
        ]),
      );
      const { md } = await dossier(gateId);
      expect(md).toContain('Trail and anchors: BROKEN at seq');
      expect(md).toContain('events were removed from the end of the trail');
    });

    it('detects a forged event appended with correct hashes', async () => {
      const gateId = await releasedGate();
      const rows = await events(gateId);
      const last = rows[rows.length - 1];
      const at = new Date().toISOString();
      const forged = {
        entity_ref: ENTITY,
        gate_id: gateId,
        actor: 'user:default/mallory',
        action: 'signoff.vote',
        before: null,
        after: JSON.stringify({ role: 'security', verdict: 'ready' }),
        at,
        prev_hash: last.hash,
        hash: hashAuditEvent({
          prevHash: last.hash,
          entityRef: ENTITY,
          gateId,
          actor: 'user:default/mallory',
          action: 'signoff.vote',
          after: { role: 'security', verdict: 'ready' },
          at,
        }),
        chain: `gate:${gateId}`,
        seq: Number(last.seq) + 1,
      };
      // An insert with a new seq is not refused: the anchors catch it.
      await knex('audit_events').insert(forged);
      const forgedId = String(
        (await knex('audit_events').where({ hash: forged.hash }).first()).id,
      );

      const result = await verify(gateId);
      expect(result).toMatchObject({
        intact: false,
        events: rows.length + 1,
        firstBroken: {
          seq: rows.length + 1,
          id: forgedId,
          record: 'audit_heads',
          reason: expect.stringContaining('appended outside the plugin'),
        },
      });
      // The hash chain alone finds nothing wrong: that is why anchors exist.
      const { json, md } = await dossier(gateId);
      expect(json.chain.ok).toBe(true);
      expect(json.verification.firstBroken.id).toBe(forgedId);
      expect(md).toContain(
        `Trail and anchors: BROKEN at seq ${
          rows.length + 1
        } (event #${forgedId}), found in audit_heads`,
      );
    });

    it('refuses an insert over an existing event or seq, whatever the syntax', async () => {
      const gateId = await releasedGate();
      const rows = await events(gateId);
      const target = rows[2];
      const columns =
        'id, entity_ref, gate_id, actor, action, before, after, at, prev_hash, hash, chain, seq';
      const values = [
        target.id,
        target.entity_ref,
        gateId,
        'user:default/mallory',
        target.action,
        target.before,
        target.after,
        target.at,
        target.prev_hash,
        target.hash,
        target.chain,
        target.seq,
      ];
      const marks = values.map(() => '?').join(', ');
      const attempts = isPg(knex)
        ? [
            `INSERT INTO audit_events (${columns}) VALUES (${marks})`,
            `INSERT INTO audit_events (${columns}) VALUES (${marks}) ON CONFLICT (id) DO UPDATE SET actor = EXCLUDED.actor`,
          ]
        : [
            `REPLACE INTO audit_events (${columns}) VALUES (${marks})`,
            `INSERT OR REPLACE INTO audit_events (${columns}) VALUES (${marks})`,
          ];
      for (const sql of attempts) {
        expect((await failure(knex.raw(sql, values))).message).toMatch(
          /append-only|duplicate key|UNIQUE/,
        );
      }
      // A new id over an existing seq of the chain: REPLACE would delete the
      // event holding that seq.
      const newId = Number(rows[rows.length - 1].id) + 1000;
      const sameSeq = [newId, ...values.slice(1)];
      const replaceSeq = isPg(knex)
        ? `INSERT INTO audit_events (${columns}) VALUES (${marks}) ON CONFLICT (chain, seq) DO UPDATE SET actor = EXCLUDED.actor`
        : `REPLACE INTO audit_events (${columns}) VALUES (${marks})`;
      expect((await failure(knex.raw(replaceSeq, sameSeq))).message).toMatch(
        /append-only/,
      );

      expect(
        (await knex('audit_events').where({ id: target.id }).first()).actor,
      ).toBe(target.actor);
      expect((await verify(gateId)).intact).toBe(true);
    });

    it('would locate a REPLACE that got past, should the trigger be gone', async () => {
      const gateId = await releasedGate();
      const rows = await events(gateId);
      const target = rows[3];
      await bypassingTriggers(knex, async () => {
        if (isPg(knex)) {
          await knex('audit_events')
            .where({ id: target.id })
            .update({ actor: 'user:default/mallory' });
        } else {
          await knex.raw(
            `REPLACE INTO audit_events (id, entity_ref, gate_id, actor, action, before, after, at, prev_hash, hash, chain, seq)
             SELECT id, entity_ref, gate_id, 'user:default/mallory', action, before, after, at, prev_hash, hash, chain, seq
             FROM audit_events WHERE id = ?`,
            [target.id],
          );
        }
      });
      const result = await verify(gateId);
      expect(result.firstBroken).toMatchObject({
        seq: Number(target.seq),
        id: String(target.id),
        record: 'audit_events',
        reason: expect.stringContaining('the hash does not match the content'),
      });
    });
  },
);

describe('REPLACE on SQLite without the insert trigger', () => {
  it('deletes the old row without firing the delete trigger (why the insert trigger exists)', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.raw('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await knex.raw(
      "CREATE TRIGGER t_no_delete BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 't is append-only'); END",
    );
    await knex.raw("INSERT INTO t VALUES (1, 'original')");
    expect(
      (await failure(knex.raw('DELETE FROM t WHERE id = 1'))).message,
    ).toMatch(/append-only/);
    await knex.raw("REPLACE INTO t VALUES (1, 'rewritten')");
    expect((await knex('t').first()).v).toBe('rewritten');
  });
});
