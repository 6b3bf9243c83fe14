// @ts-check

/*
 * The audit chains get a position and anchors outside audit_events.
 *
 * 1. Every event gets `chain` (`gate:<id>`, or `entity:<ref>` for events
 *    without a gate) and `seq`, its position in that chain from 1, unique
 *    per chain. Existing rows are numbered here in id order.
 * 2. `audit_heads` keeps the last seq and hash of every chain, written in the
 *    transaction that appends to it; each decision keeps the head of its
 *    gate's chain as it was when the decision was recorded (its own event).
 *    A tail removed, or events appended outside the plugin, no longer agree
 *    with these anchors (see `src/audit/verifyTrail.ts`).
 * 3. An INSERT whose id, or whose (chain, seq), already exists is refused by
 *    a trigger: on SQLite `REPLACE INTO` and `INSERT OR REPLACE` delete the
 *    conflicting row before inserting, and delete triggers do not fire for
 *    that unless `recursive_triggers` is on, so the UPDATE/DELETE triggers
 *    alone let a REPLACE rewrite an event. On PostgreSQL a duplicate id is a
 *    unique violation and `ON CONFLICT DO UPDATE` meets the UPDATE trigger;
 *    the same insert trigger is added there too, so both engines answer
 *    alike.
 *
 * The backfill has to update existing rows, which the append-only triggers
 * refuse: they are set aside for it (SQLite: dropped and created again;
 * PostgreSQL: disabled and enabled) inside this migration's transaction.
 */

const APPEND_ONLY = 'audit_events is append-only';

/**
 * @param {import('knex').Knex} knex
 */
function engine(knex) {
  const client = String(knex.client.config.client);
  if (client === 'pg' || client.includes('postgres')) return 'pg';
  if (client.includes('sqlite')) return 'sqlite';
  return client;
}

/**
 * @param {{ gate_id: string | null, entity_ref: string }} row
 */
function chainOf(row) {
  return row.gate_id ? `gate:${row.gate_id}` : `entity:${row.entity_ref}`;
}

/**
 * @param {import('knex').Knex} knex
 */
async function backfill(knex) {
  /** @type {Map<string, { seq: number, hash: string | null, at: unknown }>} */
  const heads = new Map();
  let lastId = 0;
  for (;;) {
    const rows = await knex('audit_events')
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(500)
      .select('id', 'entity_ref', 'gate_id', 'action', 'at', 'hash');
    if (!rows.length) break;
    for (const row of rows) {
      const chain = chainOf(row);
      const seq = (heads.get(chain)?.seq ?? 0) + 1;
      await knex('audit_events').where({ id: row.id }).update({ chain, seq });
      heads.set(chain, { seq, hash: row.hash, at: row.at });
      if (row.gate_id && String(row.action).startsWith('decision.')) {
        // The decision row written in the same transaction, at the same time.
        const decision = await knex('decisions')
          .where({
            gate_id: row.gate_id,
            verdict: String(row.action).slice('decision.'.length),
            at: row.at,
          })
          .whereNull('head_seq')
          .orderBy('id')
          .first('id');
        if (decision) {
          await knex('decisions')
            .where({ id: decision.id })
            .update({ head_seq: seq, head_hash: row.hash });
        }
      }
    }
    lastId = Number(rows[rows.length - 1].id);
  }
  for (const [chain, head] of heads) {
    if (!head.hash) continue;
    await knex('audit_heads').insert({
      chain,
      seq: head.seq,
      hash: head.hash,
      updated_at: head.at,
    });
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const db = engine(knex);
  await knex.schema.alterTable('audit_events', table => {
    table
      .string('chain', 300)
      .nullable()
      .comment(
        'The chain of the event: gate:<gate id>, or entity:<entity ref> for events without a gate',
      );
    table
      .integer('seq')
      .nullable()
      .comment('Position of the event in its chain, from 1');
  });
  await knex.schema.alterTable('decisions', table => {
    table
      .integer('head_seq')
      .nullable()
      .comment(
        "Seq of the gate chain's head when the decision was recorded (the decision's own event)",
      );
    table
      .string('head_hash', 64)
      .nullable()
      .comment("Hash of the gate chain's head when the decision was recorded");
  });
  await knex.schema.createTable('audit_heads', table => {
    table.comment(
      'The last event of each audit chain, written in the transaction that appends it: an anchor outside audit_events',
    );
    table.string('chain', 300).primary().comment('gate:<id> or entity:<ref>');
    table.integer('seq').notNullable().comment('Seq of the last event');
    table.string('hash', 64).notNullable().comment('Hash of the last event');
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  if (db === 'pg') {
    await knex.raw(
      'ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only',
    );
  } else if (db === 'sqlite') {
    await knex.raw('DROP TRIGGER IF EXISTS audit_events_no_update');
  }
  await backfill(knex);
  if (db === 'pg') {
    await knex.raw(
      'ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only',
    );
  } else if (db === 'sqlite') {
    await knex.raw(
      `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`,
    );
  }

  await knex.schema.alterTable('audit_events', table => {
    table.unique(['chain', 'seq'], { indexName: 'audit_events_chain_seq_idx' });
  });

  if (db === 'pg') {
    await knex.raw(`
      CREATE FUNCTION audit_events_no_overwrite() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
          OR EXISTS (SELECT 1 FROM audit_events WHERE chain = NEW.chain AND seq = NEW.seq) THEN
          RAISE EXCEPTION '${APPEND_ONLY}: an event with this id or seq exists';
        END IF;
        RETURN NEW;
      END;
      $$`);
    await knex.raw(
      'CREATE TRIGGER audit_events_no_overwrite BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_no_overwrite()',
    );
  } else if (db === 'sqlite') {
    await knex.raw(
      `CREATE TRIGGER audit_events_no_overwrite BEFORE INSERT ON audit_events
       WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
         OR EXISTS (SELECT 1 FROM audit_events WHERE chain = NEW.chain AND seq = NEW.seq)
       BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}: an event with this id or seq exists'); END`,
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const db = engine(knex);
  if (db === 'pg') {
    await knex.raw(
      'DROP TRIGGER IF EXISTS audit_events_no_overwrite ON audit_events',
    );
    await knex.raw('DROP FUNCTION IF EXISTS audit_events_no_overwrite()');
  } else if (db === 'sqlite') {
    await knex.raw('DROP TRIGGER IF EXISTS audit_events_no_overwrite');
  }
  await knex.schema.alterTable('audit_events', table => {
    table.dropUnique(['chain', 'seq'], 'audit_events_chain_seq_idx');
  });
  await knex.schema.dropTable('audit_heads');
  await knex.schema.alterTable('decisions', table => {
    table.dropColumn('head_hash');
    table.dropColumn('head_seq');
  });
  await knex.schema.alterTable('audit_events', table => {
    table.dropColumn('seq');
    table.dropColumn('chain');
  });
  if (db === 'sqlite') {
    // Dropping a column rebuilds the table on SQLite, without its triggers.
    await knex.raw(
      `CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`,
    );
    await knex.raw(
      `CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`,
    );
  }
};
