// @ts-check

/**
 * The release calendar asks the portfolio for the gates planned in its range
 * (plannedFrom, plannedTo) and sorts them by planned time: an index on the
 * planned time of the current gate keeps that a range scan however many
 * entities there are.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('entities', table => {
    table.index(['current_planned_at'], 'entities_current_planned_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('entities', table => {
    table.dropIndex(['current_planned_at'], 'entities_current_planned_at_idx');
  });
};
