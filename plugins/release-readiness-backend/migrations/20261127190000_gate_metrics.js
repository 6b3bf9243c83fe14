// @ts-check

/**
 * One narrow row per counted gate with what `GET /metrics` needs of it, so
 * that the metrics are aggregated by the database over small rows rather
 * than over the gates themselves, each of which carries its template
 * snapshot (about 6 kB). At 100,000 entities (200,000 gates) computing the
 * metrics from the gates, their decisions and incidents took 2.4 s on
 * PostgreSQL and 3.3 s on SQLite and loaded every gate into the backend.
 *
 * The row is derived: the plugin rewrites it in the transaction that opens
 * the gate, records a decision or moves the gate, and copies the entity's
 * owner and system onto it in the transaction that changes them in the
 * entity index, so that grouping by team or system needs no join (a join
 * of 200,000 rows costs SQLite a B-tree search each), and counts the
 * incidents of its release in the transaction that records one. Cancelled
 * gates have no row. The backfill below computes the same facts from the
 * existing gates in one statement.
 */

/** The column of each grouping and the name of its index. */
const GROUPINGS = [
  ['owner_ref', 'gate_metrics_team_idx'],
  ['system_ref', 'gate_metrics_system_grouping_idx'],
  ['tier', 'gate_metrics_tier_idx'],
];

/** Every column the metrics read, besides the period. */
const READ_COLUMNS = [
  'released',
  'go_count',
  'no_go_count',
  'blocker_sum',
  'blocker_count',
  'lead_ms',
  'incidents',
  'opened_at',
  'tier',
  'owner_ref',
  'system_ref',
  'entity_ref',
];

/**
 * @param {import('knex').Knex} knex
 */
function isPostgres(knex) {
  const client = String(knex.client.config.client);
  return client === 'pg' || client.includes('postgres');
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gate_metrics', table => {
    table.comment(
      'What the metrics count of each gate that is not cancelled; derived from gates, decisions, incidents and the entity index',
    );
    table
      .string('gate_id', 36)
      .primary()
      .references('id')
      .inTable('gates')
      .onDelete('CASCADE')
      .comment('The gate');
    table.string('entity_ref', 255).notNullable().comment('The gate entity');
    table.string('release', 255).notNullable().comment('The gate release');
    table
      .string('owner_ref', 255)
      .nullable()
      .comment("The entity's owner now, as in the entity index");
    table
      .string('system_ref', 255)
      .nullable()
      .comment("The entity's system now, as in the entity index");
    table.integer('tier').notNullable().comment('The tier it was opened with');
    table
      .timestamp('opened_at', { useTz: true })
      .notNullable()
      .comment('When the gate was opened');
    table
      .string('month', 7)
      .notNullable()
      .comment('The month of opened_at in UTC, YYYY-MM');
    table
      .string('quarter', 7)
      .notNullable()
      .comment('The quarter of opened_at in UTC, YYYY-Qn');
    table
      .boolean('released')
      .notNullable()
      .comment('Whether the gate is released or rolled back');
    table.integer('go_count').notNullable().comment('GO decisions');
    table.integer('no_go_count').notNullable().comment('NO-GO decisions');
    table
      .integer('blocker_sum')
      .notNullable()
      .comment('Blockers at decision time, summed over the decisions');
    table
      .integer('blocker_count')
      .notNullable()
      .comment('Decisions that recorded their blockers');
    table
      .bigInteger('lead_ms')
      .nullable()
      .comment('Milliseconds from opening to the first GO; null without a GO');
    table
      .integer('incidents')
      .notNullable()
      .comment('Incidents recorded for the entity and release');
    table.index(['entity_ref', 'release'], 'gate_metrics_entity_release_idx');
    table.index(['opened_at'], 'gate_metrics_opened_at_idx');
  });

  const postgres = isPostgres(knex);
  const month = postgres
    ? `to_char(g.opened_at AT TIME ZONE 'UTC', 'YYYY-MM')`
    : `substr(g.opened_at, 1, 7)`;
  const quarter = postgres
    ? `to_char(g.opened_at AT TIME ZONE 'UTC', 'YYYY-"Q"Q')`
    : `substr(g.opened_at, 1, 4) || '-Q' || ((CAST(substr(g.opened_at, 6, 2) AS INTEGER) + 2) / 3)`;
  // Both times have whole milliseconds; julianday's error is far below one.
  const leadMs = postgres
    ? 'CAST(ROUND(EXTRACT(EPOCH FROM (d.first_go - g.opened_at)) * 1000) AS BIGINT)'
    : 'CAST(ROUND((julianday(d.first_go) - julianday(g.opened_at)) * 86400000.0) AS INTEGER)';
  await knex.raw(`
    INSERT INTO gate_metrics (gate_id, entity_ref, release, owner_ref,
      system_ref, tier, opened_at, month, quarter, released, go_count,
      no_go_count, blocker_sum, blocker_count, lead_ms, incidents)
    SELECT g.id, g.entity_ref, g.release, e.owner_ref, e.system_ref, g.tier,
      g.opened_at,
      ${month}, ${quarter},
      CASE WHEN g.state IN ('released', 'rolled-back') THEN ${
        postgres ? 'TRUE' : '1'
      } ELSE ${postgres ? 'FALSE' : '0'} END,
      COALESCE(d.go_count, 0), COALESCE(d.no_go_count, 0),
      COALESCE(d.blocker_sum, 0), COALESCE(d.blocker_n, 0),
      CASE WHEN d.first_go IS NULL THEN NULL ELSE ${leadMs} END,
      COALESCE(i.n, 0)
    FROM gates g
    LEFT JOIN entities e ON e.entity_ref = g.entity_ref
    LEFT JOIN (
      SELECT gate_id,
        SUM(CASE WHEN verdict = 'go' THEN 1 ELSE 0 END) AS go_count,
        SUM(CASE WHEN verdict = 'go' THEN 0 ELSE 1 END) AS no_go_count,
        MIN(CASE WHEN verdict = 'go' THEN at END) AS first_go,
        SUM(blocker_count) AS blocker_sum,
        COUNT(blocker_count) AS blocker_n
      FROM decisions GROUP BY gate_id
    ) d ON d.gate_id = g.id
    LEFT JOIN (
      SELECT entity_ref, release, COUNT(*) AS n
      FROM incidents GROUP BY entity_ref, release
    ) i ON i.entity_ref = g.entity_ref AND i.release = g.release
    WHERE g.state <> 'cancelled'
  `);

  // Grouping sorts every row unless an index already has them in group
  // order: one covering index per grouping (team, system, tier), ordered by
  // quarter then month (the month decides the quarter, so one order serves
  // both periods) and holding every column the metrics read, so that the
  // grouping is one pass over the index. At 100,000 entities it takes the
  // sums from about 250 ms to 130 ms on SQLite, and from about 380 ms (a
  // sort spilling to disk) to 100 ms on PostgreSQL. Made after the
  // backfill, which is faster without them.
  await knex.schema.alterTable('gate_metrics', table => {
    for (const [column, name] of GROUPINGS) {
      table.index(
        [column, 'quarter', 'month', ...READ_COLUMNS.filter(c => c !== column)],
        name,
      );
    }
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gate_metrics');
};
