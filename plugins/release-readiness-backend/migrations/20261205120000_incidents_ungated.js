// @ts-check

/**
 * Incidents on releases that never had a gate are kept, marked ungated.
 *
 * An incident reported for a release with no gate (none opened, or only
 * cancelled ones) went to production without passing a gate: it says
 * nothing about a gate that let a defect escape, so the metrics count it
 * apart and never against a gate. Incidents already stored are marked from
 * the gates there are now.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table
      .boolean('ungated')
      .notNullable()
      .defaultTo(false)
      .comment(
        'True when no gate (other than cancelled ones) existed for the release when the incident was reported',
      );
  });
  await knex('incidents')
    .whereNotExists(
      knex('gates')
        .select(knex.raw('1'))
        .whereRaw('gates.entity_ref = incidents.entity_ref')
        .whereRaw('gates.release = incidents.release')
        .whereNot('gates.state', 'cancelled'),
    )
    .update({ ungated: true });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropColumn('ungated');
  });
};
