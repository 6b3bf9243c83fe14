// @ts-check

/**
 * A system gate's release manifest (issue 16): the release of each
 * component the system release ships, proposed when the gate opens and
 * changed by its gate owners (audited as gate.manifest).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gates', table => {
    table
      .text('manifest')
      .nullable()
      .comment(
        'JSON: for a system gate, component ref -> release the roll-up matches that component on',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gates', table => {
    table.dropColumn('manifest');
  });
};
