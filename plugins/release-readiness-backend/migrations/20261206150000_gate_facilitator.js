// @ts-check

/**
 * The facilitator of a gate (issue 18): the person who runs its release
 * meeting, proposed by a rotation among the entity's gate owners when the
 * gate opens, swapped or passed on by the gate owners (audited as
 * gate.facilitator). Indexed with the entity for the rotation's history.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gates', table => {
    table
      .text('facilitator')
      .nullable()
      .comment('User ref (lower case) of the person who runs the gate meeting');
    table.index(['entity_ref', 'facilitator'], 'gates_entity_facilitator_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gates', table => {
    table.dropIndex(
      ['entity_ref', 'facilitator'],
      'gates_entity_facilitator_idx',
    );
    table.dropColumn('facilitator');
  });
};
