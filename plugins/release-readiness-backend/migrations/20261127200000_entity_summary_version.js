// @ts-check

/**
 * The version of the gate whose summary the entity's index row holds.
 *
 * The summary is refreshed after each read or write of the entity's current
 * gate. Two requests on one gate can finish in either order; with the
 * version on the row, a summary computed from an older version of the gate
 * never replaces one computed from a newer version.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('entities', table => {
    table
      .integer('current_gate_version')
      .nullable()
      .comment('The version of the current gate the summary was computed on');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('entities', table => {
    table.dropColumn('current_gate_version');
  });
};
