// @ts-check

const { createHash } = require('node:crypto');

/*
 * The audit trail becomes tamper-evident and append-only.
 *
 * 1. Every event gets `hash`, the SHA-256 of its content and of `prev_hash`,
 *    the hash of the event before it in the same chain: one chain per gate,
 *    one per entity for events without a gate. Existing rows are hashed here,
 *    in id order.
 * 2. The database refuses UPDATE and DELETE on audit_events (and TRUNCATE on
 *    PostgreSQL), whoever asks. The triggers come after the backfill, which
 *    has to update the existing rows.
 *
 * The hash is the one of `src/audit/chain.ts`, written out again here because
 * a migration must not change when the code does; the two must agree.
 */

const APPEND_ONLY = 'audit_events is append-only';

/**
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(item => canonicalJson(item)).join(',')}]`;
  }
  if (typeof value === 'object') {
    const object = /** @type {Record<string, unknown>} */ (value);
    const entries = Object.keys(object)
      .sort()
      .filter(key => {
        const item = object[key];
        return (
          item !== undefined &&
          typeof item !== 'function' &&
          typeof item !== 'symbol'
        );
      })
      .map(key => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A JSON column as the API returns it; text that is not JSON stays text.
 *
 * @param {string | null} text
 */
function parseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * @param {Date | string | number} value
 */
function toIso(value) {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/**
 * @param {{ entity_ref: string, gate_id: string | null, actor: string, action: string, before: string | null, after: string | null, at: Date | string | number }} row
 * @param {string | null} prevHash
 */
function hashRow(row, prevHash) {
  const content = {
    prevHash,
    entityRef: row.entity_ref,
    gateId: row.gate_id ?? null,
    actor: row.actor,
    action: row.action,
    before: parseJson(row.before),
    after: parseJson(row.after),
    at: toIso(row.at),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

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
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('audit_events', table => {
    table
      .string('prev_hash', 64)
      .nullable()
      .comment(
        'Hash of the previous event of the same chain (the gate, or the entity for events without a gate); null for the first event',
      );
    table
      .string('hash', 64)
      .nullable()
      .comment(
        'SHA-256 hex of the canonical JSON of the event and prev_hash; null only for rows written outside the chain',
      );
  });

  // Backfill, in id order, page by page.
  /** @type {Map<string, string>} */
  const lastHash = new Map();
  let lastId = 0;
  for (;;) {
    const rows = await knex('audit_events')
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(500)
      .select(
        'id',
        'entity_ref',
        'gate_id',
        'actor',
        'action',
        'before',
        'after',
        'at',
      );
    if (!rows.length) break;
    for (const row of rows) {
      const chain = row.gate_id
        ? `gate:${row.gate_id}`
        : `entity:${row.entity_ref}`;
      const prevHash = lastHash.get(chain) ?? null;
      const hash = hashRow(row, prevHash);
      await knex('audit_events')
        .where({ id: row.id })
        .update({ prev_hash: prevHash, hash });
      lastHash.set(chain, hash);
    }
    lastId = Number(rows[rows.length - 1].id);
  }

  const db = engine(knex);
  if (db === 'pg') {
    await knex.raw(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '${APPEND_ONLY}: % is not allowed', TG_OP;
      END;
      $$`);
    await knex.raw(
      'CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()',
    );
    await knex.raw(
      'CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()',
    );
  } else if (db === 'sqlite') {
    await knex.raw(
      `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`,
    );
    await knex.raw(
      `CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`,
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
      'DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events',
    );
    await knex.raw(
      'DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events',
    );
    await knex.raw('DROP FUNCTION IF EXISTS audit_events_append_only()');
  } else if (db === 'sqlite') {
    await knex.raw('DROP TRIGGER IF EXISTS audit_events_no_update');
    await knex.raw('DROP TRIGGER IF EXISTS audit_events_no_delete');
  }
  await knex.schema.alterTable('audit_events', table => {
    table.dropColumn('hash');
    table.dropColumn('prev_hash');
  });
};
