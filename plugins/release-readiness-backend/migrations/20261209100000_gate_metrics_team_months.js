// @ts-check

/**
 * The metrics per team and month (`gate_metrics_team_months`, issue 20):
 * what `GET /metrics` counts of the gates of one owner opened in one month,
 * kept as the gates change, so that the metrics of every team are read from
 * one row per team and month instead of one row per gate.
 *
 * Measured at 100,000 entities (184,000 metrics rows) on SQLite, grouping
 * every gate by team and month took about 90 ms in the database and as much
 * again in the backend, which parsed and sorted 134,000 lead times; this
 * table has one row per team and month (10,000 there), its lead times
 * already sorted.
 *
 * The row of a team and month is the sum of the metrics rows
 * (`gate_metrics`) of the gates opened that month whose entity that team
 * owns (`owner_ref` '' for none): counters, and the lead times of the gates
 * with a GO as a comma-separated list of whole milliseconds in ascending
 * order, so that the percentiles stay exact. Rows whose gates all moved
 * away keep `gates = 0` and are skipped by readers (deleting them would let
 * a writer waiting for the row find it gone).
 *
 * The backfill sums the metrics rows as they are.
 */

/** @param {import('knex').Knex} knex */
function isPostgres(knex) {
  const client = String(knex.client.config.client);
  return client === 'pg' || client.includes('postgres');
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gate_metrics_team_months', table => {
    table.comment(
      'The metrics rows (gate_metrics) summed per owner and month of opening; kept by the writers of gate_metrics',
    );
    table
      .string('owner_ref', 255)
      .notNullable()
      .comment("The entity's owner as on the metrics rows; '' for none");
    table
      .string('month', 7)
      .notNullable()
      .comment('The month the gates were opened in, UTC, YYYY-MM');
    table
      .string('quarter', 7)
      .notNullable()
      .comment('The quarter of the month, YYYY-Qn');
    table.integer('gates').notNullable().comment('Gates not cancelled');
    table
      .integer('releases')
      .notNullable()
      .comment('Gates released or rolled back');
    table
      .integer('incidents')
      .notNullable()
      .comment('Incidents of the released or rolled-back gates');
    table.integer('go_count').notNullable().comment('GO decisions');
    table.integer('no_go_count').notNullable().comment('NO-GO decisions');
    table
      .integer('blocker_sum')
      .notNullable()
      .comment('Blockers at decision time, summed');
    table
      .integer('blocker_count')
      .notNullable()
      .comment('Decisions that recorded their blockers');
    table
      .text('lead_times')
      .notNullable()
      .comment(
        'Lead times (ms from opening to the first GO) of the gates with a GO, ascending, comma-separated',
      );
    table.primary(['owner_ref', 'month']);
  });

  const postgres = isPostgres(knex);
  const released = postgres ? 'CAST(released AS integer)' : 'released';
  const releasedIncidents = postgres
    ? 'CASE WHEN released THEN incidents ELSE 0 END'
    : 'released * incidents';
  const leadTimes = postgres
    ? "COALESCE(string_agg(CAST(lead_ms AS text), ',' ORDER BY lead_ms), '')"
    : "COALESCE(GROUP_CONCAT(lead_ms, ',' ORDER BY lead_ms), '')";
  await knex.raw(`
    INSERT INTO gate_metrics_team_months (owner_ref, month, quarter, gates,
      releases, incidents, go_count, no_go_count, blocker_sum, blocker_count,
      lead_times)
    SELECT COALESCE(owner_ref, ''), month, MIN(quarter), COUNT(*),
      SUM(${released}), SUM(${releasedIncidents}), SUM(go_count),
      SUM(no_go_count), SUM(blocker_sum), SUM(blocker_count), ${leadTimes}
    FROM gate_metrics
    GROUP BY COALESCE(owner_ref, ''), month
  `);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gate_metrics_team_months');
};
