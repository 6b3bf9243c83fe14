// @ts-check

/**
 * Governance of weakening (issue 14): a gate opened with another template
 * than the one that applies to its entity, a lower-tier or a rapid one keeps
 * the reason given and the approval that choice needs. Waiver approvals live
 * in the item's waiver (JSON) and need no column.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gates', table => {
    table
      .text('template_reason')
      .nullable()
      .comment(
        'Why another, a lower-tier or a rapid template was chosen when the gate was opened',
      );
    table
      .text('template_approval')
      .nullable()
      .comment(
        'JSON: the approval the template choice needs (approvers, because) and, once given, by whom and when',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gates', table => {
    table.dropColumn('template_approval');
    table.dropColumn('template_reason');
  });
};
