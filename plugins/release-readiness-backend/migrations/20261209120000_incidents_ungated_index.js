// @ts-check

/**
 * An index of the incidents by whether their release had a gate, with the
 * entity (issue 20): `GET /metrics` counts the ungated incidents on every
 * request, and without it read every incident to find the few of them
 * (43,000 incidents, none ungated, at 100,000 entities: about 4 ms on
 * either engine when cached, 30 to 300 ms when not). With it the count
 * reads only the ungated ones, and their entities for the filters.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.index(['ungated', 'entity_ref'], 'incidents_ungated_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(['ungated', 'entity_ref'], 'incidents_ungated_entity_idx');
  });
};
