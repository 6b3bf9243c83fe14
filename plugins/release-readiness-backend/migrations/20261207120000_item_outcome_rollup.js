// @ts-check

/*
 * The outcome loop's roll-up (issue 18, `GET /insights/items`): per month of
 * release, owner, template, checklist item and outcome, how many releases
 * and how many of them had a sev1–2 incident within the window after them;
 * and its totals over the owners. Summing them over a period's months
 * answers the insights from small rows, where aggregating every released
 * gate's items with their incidents took 905 ms (p95) at 10,000 entities
 * on SQLite and grew with the history.
 *
 * What a gate adds to it is kept on its metrics row (`gate_metrics`, which
 * cancelled gates have none of): its template, the month it was released
 * in and whether an incident followed its release. The plugin rewrites that
 * row in the transactions that change its sources (gateMetrics.ts), and
 * where what the gate adds changed, takes the old contribution out of the
 * roll-up and puts the new one in, in the same transaction
 * (itemOutcomes.ts). The backfill below computes both from the existing
 * gates, items and incidents.
 */

/** Days after a release within which an incident counts (INSIGHTS_WINDOW_DAYS). */
const WINDOW_DAYS = 14;

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
  const postgres = isPostgres(knex);
  await knex.schema.alterTable('gate_metrics', table => {
    table
      .string('template_name', 63)
      .notNullable()
      .defaultTo('')
      .comment('The template the gate was opened with');
    table
      .string('released_month', 7)
      .nullable()
      .comment(
        'The month of gates.released_at in UTC, YYYY-MM; null if never released',
      );
    table
      .boolean('incident_after_release')
      .notNullable()
      .defaultTo(false)
      .comment(
        `A sev1 or sev2 incident of the entity and release occurred within ${WINDOW_DAYS} days after gates.released_at`,
      );
  });

  await knex.schema.createTable('item_outcome_rollup', table => {
    table.comment(
      'Per month of release, owner, template, item and outcome: the released gates and those followed by a sev1–2 incident; derived from gate_metrics and gate_items',
    );
    table
      .string('month', 7)
      .notNullable()
      .comment('The month the gates were released in (UTC), YYYY-MM');
    table
      .string('owner_ref', 255)
      .notNullable()
      .comment("The entities' owner now, as in the entity index; '' for none");
    table
      .string('template_name', 63)
      .notNullable()
      .comment('The template the gates were opened with');
    table.string('item_id', 63).notNullable().comment('The checklist item');
    table
      .string('outcome', 31)
      .notNullable()
      .comment('waived, not-applicable, failed-then-fixed or passed');
    table
      .integer('releases')
      .notNullable()
      .comment('Released gates with the item in this outcome');
    table
      .integer('incidents')
      .notNullable()
      .comment(
        `Of those, the gates with a sev1–2 incident within ${WINDOW_DAYS} days after the release`,
      );
    table
      .text('title')
      .notNullable()
      .comment("The item's title in the gates' definitions");
    table
      .boolean('automated')
      .notNullable()
      .comment('Whether evidence checks the item, by its definition');
    table.primary([
      'month',
      'owner_ref',
      'template_name',
      'item_id',
      'outcome',
    ]);
    table.index(['owner_ref', 'month'], 'item_outcome_rollup_owner_idx');
  });

  // Everyone's counts, for the readers who may read every gate: the roll-up
  // has a row per owner (about 140,000 rows for six months of 100,000
  // entities in 2,000 teams), whose sum took 290 ms on SQLite; its totals
  // have one per month, item and outcome.
  await knex.schema.createTable('item_outcome_totals', table => {
    table.comment(
      'item_outcome_rollup summed over the owners: per month of release, template, item and outcome',
    );
    table
      .string('month', 7)
      .notNullable()
      .comment('The month the gates were released in (UTC), YYYY-MM');
    table
      .string('template_name', 63)
      .notNullable()
      .comment('The template the gates were opened with');
    table.string('item_id', 63).notNullable().comment('The checklist item');
    table
      .string('outcome', 31)
      .notNullable()
      .comment('waived, not-applicable, failed-then-fixed or passed');
    table
      .integer('releases')
      .notNullable()
      .comment('Released gates with the item in this outcome');
    table
      .integer('incidents')
      .notNullable()
      .comment(
        `Of those, the gates with a sev1–2 incident within ${WINDOW_DAYS} days after the release`,
      );
    table
      .text('title')
      .notNullable()
      .comment("The item's title in the gates' definitions");
    table
      .boolean('automated')
      .notNullable()
      .comment('Whether evidence checks the item, by its definition');
    table.primary(['month', 'template_name', 'item_id', 'outcome']);
  });

  // What each gate adds: its template, its month of release, and whether a
  // sev1–2 incident of its release occurred within the window after it (an
  // interval of whole hours, so that PostgreSQL's session time zone and its
  // daylight saving changes play no part).
  const releasedMonth = postgres
    ? `to_char(g.released_at AT TIME ZONE 'UTC', 'YYYY-MM')`
    : 'substr(g.released_at, 1, 7)';
  const windowEnd = postgres
    ? `g.released_at + interval '${WINDOW_DAYS * 24} hours'`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', g.released_at, '+${WINDOW_DAYS} days')`;
  const [yes, no] = postgres ? ['TRUE', 'FALSE'] : ['1', '0'];
  await knex.raw(`
    UPDATE gate_metrics SET
      template_name = (SELECT g.template_name FROM gates g
        WHERE g.id = gate_metrics.gate_id),
      released_month = (SELECT ${releasedMonth} FROM gates g
        WHERE g.id = gate_metrics.gate_id),
      incident_after_release = (SELECT CASE WHEN EXISTS (
          SELECT 1 FROM incidents i
          WHERE i.entity_ref = g.entity_ref AND i.release = g.release
            AND i.severity IN ('sev1', 'sev2')
            AND i.occurred_at >= g.released_at
            AND i.occurred_at < ${windowEnd}
        ) THEN ${yes} ELSE ${no} END
        FROM gates g WHERE g.id = gate_metrics.gate_id)
  `);

  // The outcome of an item in a released gate, its title and whether it is
  // automated, as database/itemOutcomes.ts reads them.
  const everFailed = postgres ? 'gi.ever_failed' : 'gi.ever_failed = 1';
  const title = postgres
    ? `COALESCE(CAST(gi.definition AS json) ->> 'title', gi.item_id)`
    : `COALESCE(json_extract(gi.definition, '$.title'), gi.item_id)`;
  const automated = postgres
    ? `COALESCE(CAST(gi.definition AS json) ->> 'automated', 'false') <> 'false'`
    : `COALESCE(json_type(gi.definition, '$.automated'), 'false') NOT IN ('null', 'false')`;
  await knex.raw(`
    INSERT INTO item_outcome_rollup (month, owner_ref, template_name, item_id,
      outcome, releases, incidents, title, automated)
    SELECT month, owner_ref, template_name, item_id, outcome, COUNT(*),
      SUM(bad), MIN(title), MAX(automated) = 1
    FROM (
      SELECT m.released_month AS month, COALESCE(m.owner_ref, '') AS owner_ref,
        m.template_name, gi.item_id,
        CASE WHEN gi.status = 'waived' THEN 'waived'
          WHEN gi.status = 'not-applicable' THEN 'not-applicable'
          WHEN ${everFailed} THEN 'failed-then-fixed'
          ELSE 'passed' END AS outcome,
        CASE WHEN m.incident_after_release THEN 1 ELSE 0 END AS bad,
        ${title} AS title,
        CASE WHEN ${automated} THEN 1 ELSE 0 END AS automated
      FROM gate_metrics m
      JOIN gate_items gi ON gi.gate_id = m.gate_id
      WHERE m.released_month IS NOT NULL
    ) contributions
    GROUP BY month, owner_ref, template_name, item_id, outcome
  `);
  await knex.raw(`
    INSERT INTO item_outcome_totals (month, template_name, item_id, outcome,
      releases, incidents, title, automated)
    SELECT month, template_name, item_id, outcome, SUM(releases),
      SUM(incidents), MIN(title),
      MAX(CASE WHEN automated THEN 1 ELSE 0 END) = 1
    FROM item_outcome_rollup
    GROUP BY month, template_name, item_id, outcome
  `);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('item_outcome_totals');
  await knex.schema.dropTable('item_outcome_rollup');
  await knex.schema.alterTable('gate_metrics', table => {
    table.dropColumn('incident_after_release');
    table.dropColumn('released_month');
    table.dropColumn('template_name');
  });
};
