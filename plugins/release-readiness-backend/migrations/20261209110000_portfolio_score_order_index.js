// @ts-check

/**
 * Indexes that give the gates of a state by score in the portfolio's order
 * in both directions (issue 20): the triage view
 * (`GET /portfolio?state=…&sort=score`).
 *
 * The portfolio keeps entities without a score last in either order. The
 * index of (current_state, current_score) gives one direction on each
 * engine and not the other:
 * - PostgreSQL orders a descending page `current_score DESC NULLS LAST`,
 *   which that index read backwards cannot give (it gives NULLS FIRST). The
 *   planner read every entity of the state and sorted them: 150 ms for a
 *   page at 100,000 entities, a third of them in progress. With an index of
 *   (current_state, current_score DESC NULLS LAST) a page is read in order,
 *   its ties sorted by entity ref as they come: 2 to 5 ms.
 * - SQLite keeps NULLs below every value and orders an ascending page
 *   `current_score IS NULL, current_score`, which no index of the column
 *   gives: it sorted the whole state. An index of that expression gives it.
 */

/** @param {import('knex').Knex} knex */
function isPostgres(knex) {
  const client = String(knex.client.config.client);
  return client === 'pg' || client.includes('postgres');
}

const NAME = 'entities_state_score_nulls_last_idx';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    isPostgres(knex)
      ? `CREATE INDEX ${NAME} ON entities (current_state, current_score DESC NULLS LAST)`
      : `CREATE INDEX ${NAME} ON entities (current_state, current_score IS NULL, current_score)`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw(`DROP INDEX ${NAME}`);
};
